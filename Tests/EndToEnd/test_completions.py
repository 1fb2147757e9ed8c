"""Shell completion scripts (issue 16): `troxileia --generate-completion-script bash|zsh|fish` from
swift-argument-parser, as `make completions` writes them. The bash script is loaded into a real bash
and asked for completions; zsh and fish scripts are checked for the commands and flags they offer."""
import os, subprocess, unittest

from lab import BIN

COMMANDS = ("run", "plan", "status", "doctor", "validate", "version")


def script(shell):
    done = subprocess.run([os.path.join(BIN, "troxileia"), "--generate-completion-script", shell],
                          capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise AssertionError(done.stderr)
    return done.stdout


def bash_complete(words):
    """COMPREPLY of the generated script's function for the command line `words` (the last is being typed)."""
    line = " ".join(words)
    program = (f'source /dev/stdin; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; COMP_LINE="{line}"; '
               f'COMP_POINT=${{#COMP_LINE}}; _troxileia troxileia "{words[-1]}" "{words[-2]}"; printf "%s\\n" "${{COMPREPLY[@]}}"')
    done = subprocess.run(["bash", "--norc", "-c", program], input=script("bash"), capture_output=True, text=True, timeout=30)
    return set(done.stdout.split())


class CompletionScripts(unittest.TestCase):
    def test_bash_completes_subcommands_and_their_flags(self):
        self.assertIn("validate", bash_complete(["troxileia", "val"]))
        self.assertIn("--cluster", bash_complete(["troxileia", "validate", "--cl"]))
        self.assertIn("--kubeconfig", bash_complete(["troxileia", "status", "--kube"]))
        self.assertNotIn("--cluster", bash_complete(["troxileia", "status", "--cl"]))

    def test_zsh_and_fish_scripts_offer_every_command(self):
        for shell, marker in (("zsh", "#compdef troxileia"), ("fish", "complete -c 'troxileia'")):
            with self.subTest(shell=shell):
                text = script(shell)
                self.assertTrue(marker in text, f"{shell}: no {marker!r}")
                for command in COMMANDS:
                    self.assertTrue(f"'{command}'" in text or f"{command}:" in text, f"{shell}: no {command}")
                self.assertTrue("cluster" in text, f"{shell}: validate --cluster missing")

    def test_an_unknown_shell_is_refused(self):
        done = subprocess.run([os.path.join(BIN, "troxileia"), "--generate-completion-script", "tcsh"],
                              capture_output=True, text=True, timeout=30)
        self.assertNotEqual(done.returncode, 0)


if __name__ == "__main__":
    unittest.main()
