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

  resource.google_compute_network.phase0 = {
    name = "phase0";
    auto_create_subnetworks = false;
  };
  resource.google_compute_subnetwork.phase0 = {
    name = "phase0-europe-west3";
    network = "\${google_compute_network.phase0.id}";
    ip_cidr_range = "10.30.0.0/24";
  };
  resource.google_compute_firewall.ssh = {
    name = "phase0-ssh";
    network = "\${google_compute_network.phase0.name}";
    allow = [ { protocol = "tcp"; ports = [ "22" ]; } ];
    source_ranges = [ "0.0.0.0/0" ];
  };
  # zerotier peers reach each other directly over UDP 9993; without it traffic is relayed.
  resource.google_compute_firewall.zerotier = {
    name = "phase0-zerotier";
    network = "\${google_compute_network.phase0.name}";
    allow = [ { protocol = "udp"; ports = [ "9993" ]; } ];
    source_ranges = [ "0.0.0.0/0" ];
  };

  resource.google_compute_instance.gcp-test = {
    name = "gcp-test";
    machine_type = "e2-small";
    zone = "europe-west3-a";
    boot_disk.initialize_params = { image = "debian-cloud/debian-12"; size = 20; };
    network_interface = [ { subnetwork = "\${google_compute_subnetwork.phase0.id}"; access_config = [ { } ]; } ];
    metadata.ssh-keys = "root:\${file(\"~/.ssh/deploy.pub\")}";
  };
}
