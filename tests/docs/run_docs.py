#!/usr/bin/env python3
"""Check that the examples in docs/ are true.

usage: run_docs.py PACTUM SOURCE_DIR [DOC.md ...]

For each document (by default docs/language.md, docs/formats.md, docs/cli.md,
docs/architecture.md and docs/verify.md, those that exist):

  * every fenced block tagged `pact` is written to a file and must pass `pactum check`.
    If its first line is `# file: NAME.pact`, the file is called NAME.pact, so that later
    commands in the same document can use it; otherwise it gets a generated name.

  * every fenced block tagged `sh test` is run, command by command. A command starts with
    `$ `; a line ending in a backslash continues it, and so does the body of a here-document
    (`<<'EOF'` up to the line `EOF`). The lines after a command, up to the next `$ ` line or
    the end of the block, are the standard output it must print, compared line by line; a
    line `...` stands for any number of lines. A last line `[exit N]` says the command must
    exit with status N; without it the status must be 0. A command with no lines after it
    must only exit as expected.

Each document runs in a fresh scratch directory that holds a link `agreements` to the
repository's agreements/ and a link `cloud-reseller.txt` to the example contract the
language examples quote. `pactum` on the PATH is the binary under test. Blocks run in the
order they appear, so a file written by one block is there for the next.

The last line printed is `N passed, M failed`; the exit status is 1 if anything failed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

DOCS = ["docs/language.md", "docs/formats.md", "docs/cli.md", "docs/architecture.md", "docs/verify.md"]
FENCE = re.compile(r"^(`{3,})(.*)$")
EXIT = re.compile(r"^\[exit (\d+)\]$")
HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")


def blocks(path):
    """Yield (line_number, info_string, lines) for each fenced block of a Markdown file."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        ticks, info = m.group(1), m.group(2).strip()
        start = i + 1
        body = []
        i += 1
        while i < len(lines) and not (lines[i].startswith(ticks) and lines[i].strip("`") == ""):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        yield start, info, body


def commands(body, first_line):
    """Split an `sh test` block into (line, command, expected_lines, expected_exit)."""
    out = []
    i = 0
    while i < len(body):
        line = body[i]
        if not line.startswith("$ "):
            if line.strip():
                raise ValueError("line %d: text before the first '$ ' command" % (first_line + i))
            i += 1
            continue
        at = first_line + i
        cmd = [line[2:]]
        i += 1
        # Continuation lines and here-documents belong to the command.
        while cmd[-1].endswith("\\") and i < len(body):
            cmd.append(body[i])
            i += 1
        for _, word in HEREDOC.findall("\n".join(cmd)):
            while i < len(body):
                cmd.append(body[i])
                i += 1
                if cmd[-1] == word:
                    break
        expect = []
        while i < len(body) and not body[i].startswith("$ "):
            expect.append(body[i])
            i += 1
        while expect and not expect[-1].strip():
            expect.pop()
        code = 0
        if expect and EXIT.match(expect[-1]):
            code = int(EXIT.match(expect[-1]).group(1))
            expect.pop()
            while expect and not expect[-1].strip():
                expect.pop()
        out.append((at, "\n".join(cmd), expect, code))
    return out


def matches(expect, actual):
    """Line-by-line comparison where an expected `...` line matches any run of lines."""
    memo = {}

    def go(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(expect):
            r = j == len(actual)
        elif expect[i] == "...":
            r = any(go(i + 1, k) for k in range(j, len(actual) + 1))
        else:
            r = j < len(actual) and expect[i] == actual[j] and go(i + 1, j + 1)
        memo[(i, j)] = r
        return r

    return go(0, 0)


def first_difference(expect, actual):
    for k in range(max(len(expect), len(actual))):
        e = expect[k] if k < len(expect) else "<end of output>"
        a = actual[k] if k < len(actual) else "<end of output>"
        if e == "...":
            return "(after a '...' line the rest did not match)"
        if e != a:
            return "line %d:\n      expected: %s\n      actual:   %s" % (k + 1, e, a)
    return ""


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().split("\n")[2])
        return 2
    pactum = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2])
    docs = sys.argv[3:] or [d for d in DOCS if os.path.exists(os.path.join(root, d))]
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(pactum) + os.pathsep + env.get("PATH", "")
    env["LC_ALL"] = "C"
    env["TZ"] = "UTC"
    passed = failed = 0

    def report(ok, what, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok      %s" % what)
        else:
            failed += 1
            print("FAILED  %s" % what)
            if detail:
                print("    " + detail.rstrip().replace("\n", "\n    "))

    for doc in docs:
        path = os.path.join(root, doc)
        scratch = tempfile.mkdtemp(prefix="pactum-docs-")
        try:
            os.symlink(os.path.join(root, "agreements"), os.path.join(scratch, "agreements"))
            os.symlink(os.path.join(root, "agreements", "examples", "cloud-reseller.txt"),
                       os.path.join(scratch, "cloud-reseller.txt"))
            npact = 0
            for line, info, body in blocks(path):
                words = info.split()
                if words[:1] == ["pact"]:
                    npact += 1
                    m = re.match(r"^#\s*file:\s*(\S+\.pact)\s*$", body[0]) if body else None
                    name = m.group(1) if m else "block-%d.pact" % npact
                    with open(os.path.join(scratch, name), "w", encoding="utf-8") as f:
                        f.write("\n".join(body) + "\n")
                    r = subprocess.run([pactum, "check", name], cwd=scratch, env=env,
                                       stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                       timeout=60)
                    report(r.returncode == 0, "%s:%d: pact block %s checks" % (doc, line, name),
                           "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
                elif words[:1] == ["sh"] and "test" in words[1:]:
                    try:
                        cmds = commands(body, line + 1)
                    except ValueError as e:
                        report(False, "%s:%d: sh test block" % (doc, line), str(e))
                        continue
                    for at, cmd, expect, code in cmds:
                        what = "%s:%d: $ %s" % (doc, at, cmd.split("\n")[0][:90])
                        try:
                            r = subprocess.run(["bash", "-c", cmd], cwd=scratch, env=env,
                                               stdin=subprocess.DEVNULL, capture_output=True,
                                               text=True, timeout=60)
                        except subprocess.TimeoutExpired:
                            report(False, what, "timed out")
                            continue
                        actual = r.stdout.split("\n")
                        while actual and not actual[-1].strip():
                            actual.pop()
                        problems = []
                        if r.returncode != code:
                            problems.append("exit %d, expected %d" % (r.returncode, code))
                        if expect and not matches(expect, actual):
                            problems.append("output differs at " + first_difference(expect, actual))
                        if problems and r.stderr:
                            problems.append("stderr:\n" + r.stderr)
                        report(not problems, what, "\n".join(problems))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    if passed + failed == 0:
        report(False, "no examples found in " + ", ".join(docs))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
