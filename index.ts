// Entry point of `pulumi up`: reads the stack configuration once, checks it, the vTM configuration and
// the cluster's prerequisites, deploys, and returns the stack outputs:
//   serviceEndpoints   every service's URL, by service name: <scheme>://<host>:<port>
//   serviceEndpoint    the first service's URL (the seed's one example service), when there are services
//   serviceNodePort    the first service's nodePort (NodePort exposure only)
//   adminUrl           the admin web UI (HTTPS)
//   restApiUrl         the REST API (HTTPS), e.g. GET <restApiUrl>/api/tm/ as user admin
//   adminPassword      the admin password (secret): pulumi stack output --show-secrets adminPassword
//   namespace          the namespace of every object
import { kubernetesCluster } from "./components/cluster";
import { runProgram, stackOutputs } from "./components/stack";

export = async () => stackOutputs(await runProgram({ cluster: (kubernetes) => kubernetesCluster(kubernetes) }));
