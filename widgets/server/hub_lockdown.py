"""A centre account's server on a hub runs Within's pages and nothing else.

On a hub every centre account used to get JupyterLab, a terminal, the contents API (write a
notebook, open it under ``/voila/render/``) and a kernel that ran whatever the browser sent.
``binder/jupyter_server_config.py`` applies :func:`lock_down` when the hub marks the server
as a centre's (``WITHIN_HUB_ROLE=centre``, docs/jupyterhub/jupyterhub_config.py):

- JupyterLab, the classic notebook and terminals are off: Voilà is the only app;
- the contents manager is read-only (:class:`ReadOnlyContentsManager`): pages can be read and
  rendered, nothing can be written, renamed, deleted or checkpointed;
- kernels accept from the browser only the messages widgets need (Voilà's own list, as under
  ``within serve``): never ``execute_request``, so a page cannot be made to run code.

Researchers get JupyterLab through a separate hub group, without database credentials.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado.web import HTTPError

#: What a Voilà page sends its kernel: widget messages, kernel info, shutdown. Voilà's list.
BROWSER_MESSAGE_TYPES = [
    "comm_open",
    "comm_close",
    "comm_msg",
    "comm_info_request",
    "kernel_info_request",
    "shutdown_request",
]
ROLE_ENV = "WITHIN_HUB_ROLE"


class ReadOnlyContentsManager(AsyncLargeFileManager):
    """jupyter_server's file contents manager, refusing every change with 403."""

    async def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise HTTPError(403, "This server's files cannot be changed.")

    save = _refuse
    delete_file = _refuse
    rename_file = _refuse
    delete = _refuse
    rename = _refuse
    new = _refuse
    new_untitled = _refuse
    copy = _refuse
    create_checkpoint = _refuse
    restore_checkpoint = _refuse
    delete_checkpoint = _refuse


def lock_down(c: Any) -> None:
    """Apply the centre account settings to a Jupyter server config ``c``."""
    c.ServerApp.contents_manager_class = ReadOnlyContentsManager
    c.ServerApp.terminals_enabled = False
    c.ServerApp.jpserver_extensions.update(
        {
            "jupyterlab": False,
            "notebook": False,
            "jupyter_server_terminals": False,
            "jupyter_lsp": False,
            "voila": True,
        }
    )
    c.MappingKernelManager.allowed_message_types = list(BROWSER_MESSAGE_TYPES)
