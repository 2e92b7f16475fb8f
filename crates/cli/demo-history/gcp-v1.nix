{ config, ... }:
{
  terraform.required_providers.google.source = "hashicorp/google";
  provider.google = {
    project = "\${var.gcp_project}";
    region = "europe-west3";
    credentials = "\${var.gcp_credentials}"; # path to the service-account key, from clan vars
  };
  variable.gcp_project = { };
  variable.gcp_credentials.sensitive = true;

  resource.google_service_account.deploy = {
    account_id = "terraform-deploy";
    display_name = "terraform deploy";
  };
  resource.google_project_iam_member.deploy-compute = {
    project = "\${var.gcp_project}";
    role = "roles/compute.instanceAdmin.v1";
    member = "serviceAccount:\${google_service_account.deploy.email}";
  };
}
