"""The vTM dev stack from Python: the vtm package's VtmStack component, settings from the stack config."""
import pulumi
import pulumi_vtm as vtm

config = pulumi.Config()
stack = vtm.VtmStack(
    "vtm",
    exposure=config.get("exposure") or vtm.ExposureMode.NODE_PORT,
    namespace=config.get("namespace") or "default",
    # The seed's manifests accept the vTM licence (ZEUS_EULA=accept); so does this example.
    eula="accept",
)

pulumi.export("serviceEndpoint", stack.service_endpoint)
pulumi.export("serviceEndpoints", stack.service_endpoints)
pulumi.export("adminUrl", stack.admin_url)
pulumi.export("restApiUrl", stack.rest_api_url)
pulumi.export("adminPassword", stack.admin_password)
pulumi.export("namespace", stack.namespace)
