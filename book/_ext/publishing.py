"""Where the published site points: its repository button and its launch buttons, set in one place.

The site is built with no button pointing anywhere, as a course in preparation should be.
A course team that publishes it sets, in the environment of ``make book`` (the one place
these settings live):

- ``COURSE_REPOSITORY_URL``: the repository the site is built from, such as
  ``https://github.com/your-org/customering``: every page then gets a repository button;
- ``COURSE_REPOSITORY_BRANCH``: its branch (default ``main``);
- ``COURSE_BINDERHUB_URL`` (such as ``https://mybinder.org``) and/or
  ``COURSE_JUPYTERHUB_URL`` (your JupyterHub, with nbgitpuller installed): every lesson
  then gets a "launch" button that opens it in JupyterLab there. Launching needs the
  repository, so these do nothing without ``COURSE_REPOSITORY_URL``.

Unset or empty, each stays off. The settings are applied to the theme's options when the
build starts, on top of ``_config.yml``, where the buttons are off.
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx
from sphinx.config import Config

VARIABLES = ("COURSE_REPOSITORY_URL", "COURSE_REPOSITORY_BRANCH", "COURSE_BINDERHUB_URL", "COURSE_JUPYTERHUB_URL")


def apply_publishing_settings(app: Sphinx, config: Config) -> None:
    setting = {name: os.environ.get(name, "").strip() for name in VARIABLES}
    repository = setting["COURSE_REPOSITORY_URL"].rstrip("/")
    if not repository:
        return
    options = config.html_theme_options
    options.update(repository_url=repository, use_repository_button=True, path_to_docs="",
                   repository_branch=setting["COURSE_REPOSITORY_BRANCH"] or "main")
    launch = dict(options.get("launch_buttons") or {})
    launch.update(notebook_interface="jupyterlab", binderhub_url=setting["COURSE_BINDERHUB_URL"],
                  jupyterhub_url=setting["COURSE_JUPYTERHUB_URL"])
    options["launch_buttons"] = launch


def setup(app: Sphinx) -> dict:
    # After Jupyter Book has turned _config.yml into the theme's options.
    app.connect("config-inited", apply_publishing_settings, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
