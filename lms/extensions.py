"""Extension instances, created without an app so feature packages can import them freely."""

from flask_babel import Babel
from flask_login import LoginManager

login_manager = LoginManager()
babel = Babel()
