"""The first page on a slow phone link: a sample module, in Chromium with the network throttled
to 400 kbit/s and 400 ms of latency and the CPU slowed 4x (Chrome DevTools emulation).

Usage: python benchmarks/slow_link.py

Serves the SCORM 1.2 package of each sample from a local HTTP server (no cache) and measures
the time from navigation to the first page's heading drawn by the player, and the bytes
downloaded until then. Target (issue 11): under 3 s.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.player_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def main() -> None:
    import modpack
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="modpack-slow-"))
    try:
        folders = {}
        for name in ("rujukan-terpadu", "kewirausahaan-sosial"):
            module = modpack.load(ROOT / "samples" / name)
            module.delivery.scorm12.structure = "single-sco"
            zip_path = modpack.build_package(module, "scorm12", work / "zips")
            folders[name] = work / name
            with zipfile.ZipFile(zip_path) as archive:
                archive.extractall(folders[name])
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(work)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print("first page on 400 kbit/s, 400 ms latency, CPU 4x slower (target < 3 s)")
            for name in folders:
                times, sizes = [], []
                for _ in range(3):
                    context = browser.new_context(viewport={"width": 360, "height": 740})
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 400,
                                                                 "downloadThroughput": 400_000 / 8,
                                                                 "uploadThroughput": 400_000 / 8})
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                    received = []
                    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
                    start = time.perf_counter()
                    page.goto(f"{base}/{name}/index.html", wait_until="commit")
                    page.locator("main h1").wait_for()
                    times.append(time.perf_counter() - start)
                    sizes.append(sum(received))
                    context.close()
                print(f"  {name:22s} {min(times):.2f} s best of 3 ({', '.join(f'{t:.2f}' for t in times)}), "
                      f"{max(sizes) / 1024:.0f} KB over the wire")
            browser.close()
        server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
