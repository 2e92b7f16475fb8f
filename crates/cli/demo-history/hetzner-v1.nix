{ config, ... }:
{
  terraform.required_providers.hcloud.source = "hetznercloud/hcloud";
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

  output.hetzner_test_ipv4.value = "\${hcloud_server.hetzner-test.ipv4_address}";
}
