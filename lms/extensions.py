"""Extension instances, created without an app so feature packages can import them freely."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_socketio import SocketIO

login_manager = LoginManager()
babel = Babel()
# The class live room (lms/classes/room); set up by lms.classes.room.init_room.
socketio = SocketIO()
