"""The class server answers "please wait" when full, and serves again when a place frees."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

from tests.browser import servers


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=180) as reply:
            return reply.status, dict(reply.headers), reply.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode("utf-8")


def _kernel_of(page):
    """The kernel a rendered Voila page talks to (its page config names it)."""
    match = re.search(r'"kernelId": ?"([0-9a-f-]{36})"', page)
    assert match, "no kernel id in the page"
    return match.group(1)


def test_a_full_server_answers_please_wait_and_retries(notebook_copy, tmp_path):
    with servers.voila(notebook_copy, tmp_path, ITP_MAX_PAGES="1") as (base, token):
        page = f"{base}/voila/render/00_start_here.ipynb?token={token}"
        status, _, first = _get(page)
        assert status == 200 and "jupyter-widgets" in first
        status, headers, second = _get(page)
        assert status == 503
        assert headers.get("Retry-After") == "20"
        assert "Please wait" in second and "http-equiv='refresh'" in second
        assert "1 page is open and it holds 1" in second
        assert "Traceback" not in second
        # A place frees (the first student closes the tab; here the kernel is shut down).
        request = urllib.request.Request(
            f"{base}/api/kernels/{_kernel_of(first)}?token={token}", method="DELETE"
        )
        urllib.request.urlopen(request, timeout=30).close()
        status, _, third = _get(page)
        assert status == 200 and "jupyter-widgets" in third
