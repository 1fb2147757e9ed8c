"""No production module imports full Foundation (issue 14): full Foundation links ICU
(lib_FoundationICU, ~30 MB of tables mapped into every process) and costs the binary memory and
startup time; FoundationEssentials has what the modules use. The modules checked are the local
targets in the `troxileia` executable's dependency closure, read from `swift package dump-package`,
so a new module is checked as soon as the binary depends on it. Test-only targets (the API
stand-in, harnesses, benches, tests) may keep Foundation. A source check, no build needed; it
runs with the other Python suites of `make test`."""
import json, os, re, subprocess, unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXECUTABLE = "troxileia"
# `import Foundation`, `@preconcurrency public import Foundation`, `import struct Foundation.Data`,
# and Foundation's other full-Foundation modules; FoundationEssentials does not match.
FULL_FOUNDATION = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"
    r"(?:(?:struct|class|enum|protocol|typealias|func|var|let)\s+)?"
    r"(Foundation|FoundationNetworking|FoundationXML|FoundationInternationalization)(?=\.|\s|$)",
    re.M)


def package_targets():
    swift = os.environ.get("SWIFT", "swift")
    done = subprocess.run([swift, "package", "dump-package"], cwd=REPO, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise AssertionError(f"swift package dump-package failed:\n{done.stderr}")
    return {t["name"]: t for t in json.loads(done.stdout)["targets"]}


def closure(targets, root):
    """Local targets `root` depends on, directly or not, itself included."""
    seen, todo = set(), [root]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for dep in targets[name]["dependencies"]:
            local = (dep.get("byName") or dep.get("target") or [None])[0]
            if local in targets:
                todo.append(local)
    return seen


def full_foundation_imports(folder):
    """(file, line number, line) for every full-Foundation import under `folder`."""
    found = []
    for path in sorted(folder.rglob("*.swift")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in FULL_FOUNDATION.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            found.append((path.relative_to(REPO), line, m.group(0).strip()))
    return found


class FoundationImports(unittest.TestCase):
    def test_no_production_module_imports_full_foundation(self):
        targets = package_targets()
        modules = closure(targets, EXECUTABLE)
        # The closure must be the real one, not an empty parse that passes by checking nothing.
        for expected in ("troxileia", "TroxileiaCore", "HTTPServerCore", "Webhook", "KubeAPI", "GigaVUE", "Reconciler"):
            self.assertIn(expected, modules)
        offenders = []
        for name in sorted(modules):
            folder = REPO / (targets[name].get("path") or f"Sources/{name}")
            offenders += full_foundation_imports(folder)
        self.assertEqual(offenders, [], "production modules must import FoundationEssentials (or nothing), "
                         "not full Foundation (ICU):\n" + "\n".join(f"{p}:{n}: {line}" for p, n, line in offenders))

    def test_the_pattern_tells_full_foundation_from_essentials(self):
        for line in ("import Foundation", "  import Foundation // x", "@preconcurrency import Foundation",
                     "public import Foundation", "import struct Foundation.Data", "import FoundationNetworking",
                     "internal import Foundation"):
            self.assertRegex(line, FULL_FOUNDATION, line)
        for line in ("import FoundationEssentials", "// import Foundation is gone", "import FoundationEssentialsX",
                     "let s = \"import Foundation\""):
            self.assertNotRegex(line, FULL_FOUNDATION, line)


if __name__ == "__main__":
    unittest.main()
