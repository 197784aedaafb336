#!/usr/bin/env python3
"""Load a page in headless Chromium and print every console error it produces.

Usage: console_errors.py CHROMIUM USER_DATA_DIR URL [SETTLE_SECONDS]

Drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on
fd 3, replies and events on fd 4, NUL-terminated JSON; no TCP port is opened), so the level of
every message is known exactly. Counted as errors:
  - Runtime.exceptionThrown           uncaught exceptions ("Uncaught Error: x")
  - Runtime.consoleAPICalled          console.error(...) and failed console.assert(...)
  - Log.entryAdded with level error   browser-side errors: failed resource loads, SVG/CSS
                                      attribute parse errors, security violations, ...
Prints one line per error to stdout ("console error: ...") and exits 1 if there was any,
0 if none, 2 if the browser could not be driven (start failure, timeout).
Python standard library only.
"""
import fcntl
import json
import os
import select
import subprocess
import sys
import time

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,2000", "--remote-debugging-pipe",
]
TIMEOUT_S = 60.0


class Browser:
    def __init__(self, chromium, user_data_dir):
        cmd_r, self.cmd_w = os.pipe()   # we write commands, Chromium reads them on fd 3
        self.res_r, res_w = os.pipe()   # Chromium writes replies and events on fd 4
        # Move the child's ends to fds >= 10 so that placing them on 3 and 4 cannot clobber each other.
        high_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        high_w = fcntl.fcntl(res_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_r)
        os.close(res_w)
        args = [chromium, *FLAGS, f"--user-data-dir={user_data_dir}", "about:blank"]
        self.proc = subprocess.Popen(
            ["/bin/bash", "-c", f'exec "$@" 3<&{high_r} 4>&{high_w} {high_r}<&- {high_w}>&-', "bash", *args],
            pass_fds=(high_r, high_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(high_r)
        os.close(high_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.deadline = time.monotonic() + TIMEOUT_S

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.cmd_w, json.dumps(message).encode() + b"\0")
        return self.next_id

    def read_message(self, timeout):
        while b"\0" not in self.buffer:
            remaining = min(timeout, self.deadline - time.monotonic())
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.res_r], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self.res_r, 65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None):
        want = self.send(method, params, session)
        while True:
            message = self.read_message(self.deadline - time.monotonic())
            if message is None:
                raise TimeoutError(f"no reply to {method}")
            if message.get("id") == want:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_event(self, method, session, timeout):
        end = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method and e.get("sessionId") == session:
                    return self.events.pop(i)
            message = self.read_message(end - time.monotonic())
            if message is None:
                return None
            if "method" in message:
                self.events.append(message)

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while True:
            message = self.read_message(max(0.0, end - time.monotonic()))
            if message is None:
                return
            if "method" in message:
                self.events.append(message)

    def close(self):
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=10)
        except Exception:
            pass
        if self.proc.poll() is None:
            self.proc.kill()   # only the browser this script started
            self.proc.wait()


def describe_args(args):
    parts = []
    for a in args:
        if "value" in a:
            parts.append(str(a["value"]))
        else:
            parts.append(a.get("description") or a.get("type", "?"))
    return " ".join(parts)


def errors_of(events, session):
    found = []
    for e in events:
        if e.get("sessionId") != session:
            continue
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            text = (d.get("exception") or {}).get("description") or d.get("text", "exception")
            found.append(f"uncaught exception: {text.splitlines()[0]} (line {d.get('lineNumber', 0) + 1})")
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            found.append(f"console.{p['type']}: {describe_args(p.get('args', []))}")
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            entry = p["entry"]
            where = f" ({entry['url']})" if entry.get("url") else ""
            found.append(f"{entry.get('source', 'browser')} error: {entry.get('text', '')}{where}")
    return found


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    chromium, user_data_dir, url = sys.argv[1:4]
    settle = float(sys.argv[4]) if len(sys.argv) == 5 else 1.0
    browser = Browser(chromium, user_data_dir)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            browser.call(domain, session=session)
        nav = browser.call("Page.navigate", {"url": url}, session=session)
        if nav.get("errorText"):
            print(f"console error: navigation failed: {nav['errorText']}")
            return 1
        if browser.wait_event("Page.loadEventFired", session, TIMEOUT_S) is None:
            print("console_errors: the page did not finish loading", file=sys.stderr)
            return 2
        browser.drain(settle)   # timers and late errors after the load event
        errors = errors_of(browser.events, session)
    except (RuntimeError, TimeoutError, OSError, KeyError, ValueError) as ex:
        print(f"console_errors: could not drive {chromium}: {ex}", file=sys.stderr)
        return 2
    finally:
        browser.close()
    for line in errors:
        print("console error: " + line)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
