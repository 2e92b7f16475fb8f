{ config, ... }:
{
  imports = [ ./disko.nix ];
  # Unlock LUKS over SSH in the initrd: the server has no console we want to depend on.
  boot.initrd.availableKernelModules = [ "virtio_pci" "virtio_net" ];
  boot.initrd.network = {
    enable = true;
    ssh = {
      enable = true;
      port = 2222;
      hostKeys = [ config.clan.core.vars.generators.initrd-ssh.files.host_key.path ];
      authorizedKeys = config.users.users.root.openssh.authorizedKeys.keys;
    };
  };
  boot.kernelParams = [ "ip=dhcp" ];
}
