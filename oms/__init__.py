"""OMS: the application factory."""
import os

from flask import Flask, has_request_context, request, session
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import INSTANCE, ROOT, Config
from .extensions import babel, csrf, db, htmx, limiter, login_manager, migrate


def create_app(config: type | dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(INSTANCE),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _require_secret_key(app)
    os.makedirs(app.instance_path, exist_ok=True)

    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    _register_blueprints(app)
    _register_errors(app)
    _register_templating(app)

    from . import cli

    cli.init_app(app)
    return app


def _require_secret_key(app: Flask) -> None:
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if app.config["SECRET_KEY"]:
        return
    if app.debug or app.testing:
        app.config["SECRET_KEY"] = os.urandom(32).hex()
        return
    raise RuntimeError("SECRET_KEY is not set: export SECRET_KEY (a long random string) to start OMS.")


def _init_extensions(app: Flask) -> None:
    from . import audit, concurrency, models, requests, rls, security, tenancy  # noqa: F401  (hooks register themselves)

    db.init_app(app)
    with app.app_context():
        security.init_sqlite(app, db.engine)
        rls.init_app(app, db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.unauthorized_handler(tenancy.login_redirect)
    csrf.init_app(app)
    app.before_request(concurrency.claim_form_token)  # after the CSRF check: every form's one-time token
    app.after_request(concurrency.remember_redirect)
    app.after_request(concurrency.add_form_tokens)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories=str(ROOT / "translations"))
    htmx.init_app(app)
    requests.init_app(app)
    limiter.init_app(app)
    tenancy.init_app(app)
    app.after_request(security.set_security_headers)


def _select_locale() -> str:
    if not has_request_context():  # a CLI command, the demo loader, a script: the default language
        return "ru"
    lang = session.get("lang")
    return lang if lang in ("ru", "en") else "ru"


def _register_blueprints(app: Flask) -> None:
    """Every package under blueprints/ is a feature with its `bp`."""
    import importlib
    import pkgutil

    import blueprints

    for module in sorted(pkgutil.iter_modules(blueprints.__path__), key=lambda m: m.name):
        if module.ispkg:
            app.register_blueprint(importlib.import_module(f"blueprints.{module.name}").bp)


def _register_errors(app: Flask) -> None:
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

    from .security import record_throttled
    from .views import message_page

    def render_error(code: int, message: str | None = None):
        return message_page(message, code)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        db.session.rollback()
        if request.headers.get("HX-Request") == "true":
            from flask import flash

            flash(_("Страница устарела: мы обновили её, повторите действие."), "warning")
            response = app.response_class(status=400)
            response.headers["HX-Refresh"] = "true"
            return response
        return render_error(400, _("Форма устарела или отправлена не с этого сайта. Обновите страницу и повторите."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        if error.code == 429:
            record_throttled()
            if request.endpoint == "auth.login":
                _as_slow_as_a_login()
        return render_error(error.code or 500)

    def _as_slow_as_a_login():
        """A refused login answers no sooner than a checked one: a flood gets its answers at the pace of
        password checks, holding a thread but not the CPU, instead of as fast as it can ask."""
        from .models import User
        from .security import tarpit

        tarpit(min(User.check_seconds() or 0.0, 3.0))

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host not in TRUSTED_HOSTS: no URL can be built for it, so no page; a plain refusal.
        return app.response_class("400 Bad Request: unknown host\n", status=400, mimetype="text/plain")

    @app.errorhandler(IntegrityError)
    def integrity_error(error):
        """A unique or foreign key the database refused: two requests raced (same member twice, a row deleted
        meanwhile). Nothing is saved; the data stay right. One answer for every view: 409."""
        db.session.rollback()
        app.logger.info("integrity error answered 409: %s", str(error.orig)[:300])
        return render_error(409, _("Не сохранено: такая запись уже есть, или связанную с ней запись только что "
                                   "изменил или удалил другой пользователь. Обновите страницу и проверьте."))

    @app.errorhandler(StaleDataError)
    def stale_error(error):
        db.session.rollback()
        return render_error(409, _("Пока вы работали, запись изменил или удалил другой пользователь: ничего не "
                                   "сохранено. Обновите страницу и повторите."))

    @app.errorhandler(ObjectDeletedError)
    def deleted_error(error):
        db.session.rollback()
        return render_error(404)

    @app.errorhandler(Exception)
    def server_error(error):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_error(500)


def _register_templating(app: Flask) -> None:
    from . import formatting, templating
    from .navigation import NavGroup, district_links, district_menu, district_nav
    from .permissions import ROLE_LABELS, can
    from .tenancy import current_tenant

    # USER_ROLE_LABELS for the user menu: pages of a council or an association pass their own ROLE_LABELS
    # (members' roles), which hides this global of the same name.
    from .concurrency import form_token_input

    app.jinja_env.globals.update(form_token=form_token_input, can=can, current_tenant=current_tenant, ROLE_LABELS=ROLE_LABELS,
                                USER_ROLE_LABELS=ROLE_LABELS, district_nav=district_nav,
                                district_links=district_links, district_menu=district_menu)
    app.jinja_env.tests["navgroup"] = lambda value: isinstance(value, NavGroup)
    formatting.register(app)
    templating.init_app(app, babel)
