{ inputs, self, ... }:
{
  clan = {
    meta.name = "phase0";
    # Only `self` crosses into NixOS modules, as in clan-infra.
    specialArgs = { inherit self; };
    inventory.machines = {
      hetzner-test = { tags = [ "cloud" ]; };
    };
    inventory.instances = {
      emergency-access = {
        module = { name = "emergency-access"; input = "clan-core"; };
        roles.default.tags.all = { };
      };
      users-root = {
        module = { name = "users"; input = "clan-core"; };
        roles.default.tags.all = { };
        roles.default.settings = { user = "root"; prompt = false; };
      };
      sshd-clan = {
        module = { name = "sshd"; input = "clan-core"; };
        roles.server.tags.all = { };
        roles.client.tags.all = { };
      };
      zerotier = {
        module = { name = "zerotier"; input = "clan-core"; };
        roles.controller.machines.hetzner-test = { };
        roles.peer.tags.all = { };
      };
    };
  };
}
