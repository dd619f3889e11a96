from tests.editors.conftest import fast_passwords
from tests.watch.conftest import nadia, remi

__all__ = ["fast_passwords", "nadia", "remi"]
