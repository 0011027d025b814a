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
})();
