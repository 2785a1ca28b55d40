# Everything is declared in pyproject.toml. This shim exists for scrapyd-deploy, which
# builds the egg it uploads to Scrapyd with `python setup.py bdist_egg`.
from setuptools import setup

setup()
