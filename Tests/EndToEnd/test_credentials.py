"""End to end: a credential the API server stops accepting is read again, retried once, and said in the
log (the transport's 401 refresh, issue 13, was silent). A `troxileia run` replica (webhook only) gets its
token from an exec plugin; the stand-in rotates the token, and the next port claim the webhook writes
meets a 401. Run after `swift build` with
`python3 -m unittest discover -s Tests/EndToEnd -t Tests/EndToEnd -p test_credentials.py`."""
import json, os, unittest

from lab import Lab, node

FIRST, SECOND = "first-token-3f9c1b", "second-token-8d2e6a"


class CredentialRotationEndToEnd(unittest.TestCase):
    def test_a_refused_token_is_read_again_retried_and_logged_without_its_value(self):
        lab = Lab([node("node-a")], token=FIRST, keep=bool(os.environ.get("KEEP_LAB")))
        self.addCleanup(lab.stop)
        lab.start_standin()
        lab.start_troxileia(tap=False)
        lab.rotate_token(SECOND)

        # The label change is admitted only if the webhook's port claim (a Lease write with the
        # replica's token) succeeds after the 401: the retry with the re-read token.
        status, body = lab.label("node-a", {"port": "1_1_x7"})
        self.assertEqual(status, 200, body)
        self.assertEqual(lab.claims(), {"troxileia-port-1-1-x7": "node-a"})

        lines = lab.wait_for("the refusal in the log", lambda: [
            json.loads(line) for line in lab.log("troxileia-0").splitlines()
            if "refused the bearer token" in line], timeout=30)
        self.assertEqual(lines[0]["level"], "notice")
        log = lab.log("troxileia-0")
        self.assertNotIn(FIRST, log)
        self.assertNotIn(SECOND, log)


if __name__ == "__main__":
    unittest.main()
