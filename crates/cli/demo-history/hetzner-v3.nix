{ config, ... }:
{
  terraform.required_providers.hcloud.source = "hetznercloud/hcloud";
  terraform.required_providers.null.source = "hashicorp/null";
  provider.hcloud.token = "\${var.hcloud_token}";
  variable.hcloud_token.sensitive = true;

  resource.hcloud_ssh_key.deploy = {
    name = "terraform-deploy";
    public_key = "\${file(\"~/.ssh/deploy.pub\")}";
  };

  resource.hcloud_server.hetzner-test = {
    name = "hetzner-test";
    server_type = "cx22";
    image = "debian-12"; # replaced by clan install; any image boots the installer
    location = "fsn1";
    ssh_keys = [ "\${hcloud_ssh_key.deploy.id}" ];
  };

  # terraform provisions, clan installs: the server's address is the install target.
  # Wait for sshd first: a fresh server refuses connections for ~20 s after "running".
  resource.null_resource.install-hetzner-test = {
    triggers.instance_id = "\${hcloud_server.hetzner-test.id}";
    provisioner.local-exec.command =
      "until ssh -o ConnectTimeout=5 -i ~/.ssh/deploy root@\${hcloud_server.hetzner-test.ipv4_address} true; do sleep 5; done && "
      + "clan machines install hetzner-test --update-hardware-config nixos-facter "
      + "--target-host root@\${hcloud_server.hetzner-test.ipv4_address} -i ~/.ssh/deploy --yes";
  };

  output.hetzner_test_ipv4.value = "\${hcloud_server.hetzner-test.ipv4_address}";
}
