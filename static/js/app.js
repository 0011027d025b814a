// OMS client glue: no inline scripts (CSP), htmx configured by <meta name="htmx-config">.
(function () {
  "use strict";

  function toast(text) {
    var box = document.getElementById("toasts");
    if (!box) { window.alert(text); return; }
    var el = document.createElement("div");
    el.className = "toast";
    el.setAttribute("role", "alert");
    el.textContent = text;
    box.appendChild(el);
    setTimeout(function () { el.remove(); }, 7000);
  }

  // The page's texts for these messages (base.html, #toasts data-messages, in the page's language);
  // the Russian ones if they are missing.
  var messages = {
    400: "Запрос не принят. Обновите страницу и повторите.",
    401: "Сеанс закончился. Войдите снова.",
    403: "Нет прав на это действие.",
    404: "Запись не найдена: возможно, её уже удалили.",
    409: "Запись уже изменил другой пользователь. Обновите страницу.",
    413: "Файл слишком большой.",
    429: "Слишком много попыток. Подождите и повторите.",
    500: "Ошибка на сервере. Попробуйте позже.",
    other: "Не удалось выполнить действие (код {code}).",
    offline: "Нет связи с сервером. Проверьте подключение и повторите."
  };
  (function () {
    var box = document.getElementById("toasts");
    var text = box && box.getAttribute("data-messages");
    if (!text) { return; }
    try {
      var own = JSON.parse(text);
      Object.keys(own).forEach(function (key) { messages[key] = own[key]; });
    } catch (e) { /* keep the defaults */ }
  })();

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    // Forms re-rendered with errors (422) and conflicts (409) are swapped like normal answers.
    if (xhr.status === 422 || xhr.status === 409) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 422 || status === 409) { return; }
    toast(messages[status] || messages.other.replace("{code}", String(status)));
  });

  // A form that stays on the page after a successful htmx post gets a fresh one-time token (oms.concurrency):
  // its next post is a new submission, not a repeat of this one.
  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = evt.detail.elt && evt.detail.elt.closest && evt.detail.elt.closest("form");
    if (!evt.detail.successful || !form || !document.body.contains(form)) { return; }
    Array.prototype.forEach.call(form.querySelectorAll('input[name="form_token"]'), function (input) {
      var bytes = new Uint8Array(18);
      window.crypto.getRandomValues(bytes);
      input.value = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    });
  });

  document.addEventListener("htmx:sendError", function () {
    toast(messages.offline);
  });

  // A role select that asks first when one role is chosen (making someone an administrator); on "no" the
  // select goes back to the saved role and nothing is sent.
  document.addEventListener("htmx:confirm", function (evt) {
    var form = evt.detail.elt;
    var risky = form.getAttribute && form.getAttribute("data-confirm-role");
    var select = risky && form.querySelector("select[name=role]");
    if (!select || select.value !== risky) { return; }
    evt.preventDefault();
    if (window.confirm(form.getAttribute("data-confirm"))) {
      evt.detail.issueRequest(true);
    } else {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].defaultSelected) { select.selectedIndex = i; }
      }
    }
  });

  // A table or chart wider than its box scrolls inside it: make the box reachable by keyboard to scroll it.
  function focusableScrollBoxes(root) {
    var boxes = (root || document).querySelectorAll(".tablewrap, .chartwrap");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) { box.setAttribute("tabindex", "0"); }
      else { box.removeAttribute("tabindex"); }
    }
  }
  document.addEventListener("DOMContentLoaded", function () { focusableScrollBoxes(document); });
  window.addEventListener("resize", function () { focusableScrollBoxes(document); });
  document.addEventListener("htmx:afterSettle", function () { focusableScrollBoxes(document); });

  // Confirmation before destructive plain (non-htmx) form posts.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { evt.preventDefault(); }
  }, true);

  document.addEventListener("click", function (evt) {
    var btn = evt.target.closest && evt.target.closest("[data-copy]");
    if (!btn) { return; }
    var input = document.querySelector(btn.getAttribute("data-copy"));
    if (input) { input.select(); if (navigator.clipboard) { navigator.clipboard.writeText(input.value); } }
  });
  // The person picker (templates/_picker.html, oms/picker.py): an option chosen by click or Enter becomes a
  // chip with a hidden input named like the field; one chip for a single choice, several for a multiple one.
  function pickerParts(el) {
    var picker = el && el.closest && el.closest("[data-picker]");
    if (!picker) { return null; }
    return { picker: picker, input: picker.querySelector("[data-picker-input]"),
             results: picker.querySelector(".picker__results"), chips: picker.querySelector(".picker__chips") };
  }

  function pickerClose(parts) {
    parts.results.innerHTML = "";
    parts.input.setAttribute("aria-expanded", "false");
  }

  function pickerChosen(parts) {
    return Array.prototype.map.call(parts.chips.querySelectorAll("input[type=hidden]"), function (i) { return i.value; });
  }

  function pickerChoose(option) {
    var parts = pickerParts(option);
    var id = option.getAttribute("data-id");
    var name = option.getAttribute("data-name");
    if (parts.picker.getAttribute("data-multiple") !== "true") {
      parts.chips.innerHTML = "";
    }
    if (pickerChosen(parts).indexOf(id) === -1) {
      var chip = document.createElement("li");
      chip.className = "chip";
      var label = document.createElement("span");
      label.textContent = name;
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = parts.picker.getAttribute("data-name");
      hidden.value = id;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "chip__remove";
      remove.setAttribute("data-picker-remove", "");
      remove.setAttribute("aria-label", parts.picker.getAttribute("data-remove-label").replace("{name}", name));
      remove.textContent = parts.picker.getAttribute("data-remove-text");
      chip.appendChild(label);
      chip.appendChild(hidden);
      chip.appendChild(remove);
      parts.chips.appendChild(chip);
    }
    parts.input.value = "";
    pickerClose(parts);
    parts.input.focus();
    pickerChanged(parts);
  }

  // A chip chosen or removed is a change of the form (a filter form refreshes its list on `change`);
  // the search box's own `change` is not: it is no part of the form.
  function pickerChanged(parts) {
    parts.picker.dispatchEvent(new Event("change", { bubbles: true }));
  }
  document.addEventListener("change", function (evt) {
    if (evt.target.hasAttribute && evt.target.hasAttribute("data-picker-input")) { evt.stopPropagation(); }
  }, true);

  // In a filter form the search box is sent as text while there is no script (templates/_picker.html);
  // with the script it searches as everywhere else.
  function pickerDetach(root) {
    (root || document).querySelectorAll("[data-picker-fallback]").forEach(function (input) {
      input.removeAttribute("data-picker-fallback");
      input.setAttribute("name", "pick_q");
      input.setAttribute("form", "picker-nowhere");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { pickerDetach(document); });
  document.addEventListener("htmx:load", function (evt) { pickerDetach(evt.detail.elt); });

  function pickerOptions(parts) {
    return Array.prototype.slice.call(parts.results.querySelectorAll("[data-picker-option]"));
  }

  document.addEventListener("click", function (evt) {
    var option = evt.target.closest && evt.target.closest("[data-picker-option]");
    if (option) { pickerChoose(option); return; }
    var remove = evt.target.closest && evt.target.closest("[data-picker-remove]");
    if (remove) {
      var parts = pickerParts(remove);
      remove.closest("li").remove();
      parts.input.focus();
      pickerChanged(parts);
      return;
    }
    document.querySelectorAll("[data-picker]").forEach(function (picker) {
      if (!picker.contains(evt.target)) { pickerClose(pickerParts(picker)); }
    });
  });

  document.addEventListener("keydown", function (evt) {
    var parts = pickerParts(evt.target);
    if (!parts || !(evt.target === parts.input || evt.target.hasAttribute("data-picker-option"))) { return; }
    var options = pickerOptions(parts);
    var at = options.indexOf(evt.target);
    if (evt.key === "ArrowDown" || evt.key === "ArrowUp") {
      evt.preventDefault();
      var next = evt.key === "ArrowDown" ? at + 1 : at - 1;
      if (next >= options.length) { next = options.length - 1; }
      if (next < 0) { parts.input.focus(); } else if (options[next]) { options[next].focus(); }
    } else if (evt.key === "Enter" || (evt.key === " " && at >= 0)) {
      evt.preventDefault();  // never submits the form from the search box
      var option = at >= 0 ? options[at] : (options[0] || null);
      if (option) { pickerChoose(option); }
    } else if (evt.key === "Escape" && parts.results.innerHTML !== "") {
      evt.preventDefault();
      pickerClose(parts);
      parts.input.focus();
    }
  });

  // The search leaves out the people already chosen.
  document.addEventListener("htmx:configRequest", function (evt) {
    var parts = evt.detail.elt.hasAttribute && evt.detail.elt.hasAttribute("data-picker-input") && pickerParts(evt.detail.elt);
    if (parts) { evt.detail.parameters.chosen = pickerChosen(parts).join(","); }
  });

  document.addEventListener("htmx:afterSwap", function (evt) {
    var parts = pickerParts(evt.detail.target);
    if (parts && evt.detail.target === parts.results) {
      parts.input.setAttribute("aria-expanded", pickerOptions(parts).length ? "true" : "false");
    }
  });

  // A «Печать» button of a printable page (an inline onclick would break the CSP).
  document.addEventListener("click", function (evt) {
    if (evt.target.closest && evt.target.closest("[data-print]")) { window.print(); }
  });

  // The menu's groups (base.html): one open at a time; a click elsewhere or Escape closes it.
  function closeMenus(except) {
    document.querySelectorAll("details[data-navgroup][open]").forEach(function (d) {
      if (d !== except) { d.removeAttribute("open"); }
    });
  }
  document.addEventListener("toggle", function (evt) {
    var d = evt.target;
    if (d.matches && d.matches("details[data-navgroup]") && d.open) { closeMenus(d); }
  }, true);
  document.addEventListener("click", function (evt) {
    if (!evt.target.closest || !evt.target.closest("details[data-navgroup]")) { closeMenus(null); }
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "Escape") { return; }
    var open = document.querySelector("details[data-navgroup][open]");
    if (open) { open.removeAttribute("open"); open.querySelector("summary").focus(); }
  });
})();
