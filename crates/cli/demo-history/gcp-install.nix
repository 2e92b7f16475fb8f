{ config, ... }:
{
  imports = [ ./gcp-network.nix ];

  resource.null_resource.install-gcp-test = {
    triggers.instance_id = "\${google_compute_instance.gcp-test.id}";
    provisioner.local-exec.command =
      "until ssh -o ConnectTimeout=5 -i ~/.ssh/deploy root@\${google_compute_instance.gcp-test.network_interface[0].access_config[0].nat_ip} true; do sleep 5; done && "
      + "clan machines install gcp-test --update-hardware-config nixos-facter "
      + "--target-host root@\${google_compute_instance.gcp-test.network_interface[0].access_config[0].nat_ip} -i ~/.ssh/deploy --yes";
  };

  output.gcp_test_ip.value = "\${google_compute_instance.gcp-test.network_interface[0].access_config[0].nat_ip}";
}
