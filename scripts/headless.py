"""Headless Chromium, a static file server and QGIS Server on 127.0.0.1, for the lookup tests and benchmark.

Debian's chromium + chromedriver through selenium (never a downloaded browser), a fresh profile per driver and the
flags that keep the browser itself off the network. Servers listen on 127.0.0.1 on free random ports and are
stopped when the `with` block ends, also on failure.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
MAPSERVER = shutil.which("qgis_mapserver") or "/usr/bin/qgis_mapserver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# the browser's own pages are not network requests
LOCAL_SCHEMES = ("chrome://", "chrome-untrusted://", "about:", "data:", "blob:")


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_folder(folder: str):
    """http.server on 127.0.0.1 (random free port) serving `folder`; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def make_driver(profile: str, width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", "--lang=zh-CN"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def wait_for(driver, script: str, timeout: float = 30.0):
    end = time.time() + timeout
    while time.time() < end:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for: {script}")


def requested_urls(driver) -> list[str]:
    """Every URL the page requested (performance log) or loaded (resource timing)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls + driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")


@contextlib.contextmanager
def qgis_mapserver(project: str, profile: str):
    """qgis_mapserver serving `project` on 127.0.0.1 (random free port); yields its base URL once it answers."""
    port = free_port()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_SERVER_LOG_LEVEL="2", QGIS_CUSTOM_CONFIG_PATH=profile)
    server = subprocess.Popen(  # noqa: S603 - a fixed binary on loopback
        [MAPSERVER, "-p", str(project), f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        end = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "?SERVICE=WMS&REQUEST=GetCapabilities", timeout=10):  # noqa: S310
                    break
            except OSError:
                if time.time() > end or server.poll() is not None:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


def get(url: str, timeout: float = 60.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
        return response.read()


def feature_info_url(base: str, layer: str, lon: float, lat: float, d: float = 0.001) -> str:
    """WMS 1.3.0 GetFeatureInfo at a point (EPSG:4326: the BBOX is lat,lon)."""
    bbox = f"{lat - d},{lon - d},{lat + d},{lon + d}"
    return (
        f"{base}?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS={layer}&QUERY_LAYERS={layer}&STYLES="
        f"&CRS=EPSG:4326&BBOX={bbox}&WIDTH=101&HEIGHT=101&I=50&J=50&INFO_FORMAT=application/json&FEATURE_COUNT=5"
    )
