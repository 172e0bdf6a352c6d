// Loaded first in every mocha worker of `npm test` (.mocharc.json): the unit tests need no cluster and no
// Pulumi backend, and must not pick up the ones a user's shell names. Without this, KUBECONFIG (which
// the Kubernetes SDK reads into its provider's inputs) or PULUMI_BACKEND_URL (which verify and the deploy
// wrapper follow) would change what the tests see. Tests that need such a variable set their own.
for (const name of [
    "KUBECONFIG",
    "PULUMI_BACKEND_URL",
    "PULUMI_CONFIG_PASSPHRASE",
    "PULUMI_CONFIG_PASSPHRASE_FILE",
    "PULUMI_STACK",
    "PULUMI_ACCESS_TOKEN",
    "VTM_LOCAL_DIR",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
]) {
    delete process.env[name];
}
