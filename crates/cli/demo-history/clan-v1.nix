{ inputs, ... }:
{
  clan = {
    meta.name = "phase0";
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
    };
  };
}
