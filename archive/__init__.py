"""citevault: preserve what documents cite."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("citevault")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0+unknown"
