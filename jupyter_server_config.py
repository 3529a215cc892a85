# JupyterLab settings of the project: `make lab` starts JupyterLab with `--config=jupyter_server_config.py`.
# A notebook saved in JupyterLab keeps the metadata it has in git (no `language_info`, the project's kernel
# name): opening and saving a notebook without editing it changes nothing (see src/helpers/lab.py).
from helpers.lab import pre_save

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)
c.ContentsManager.pre_save_hook = pre_save
