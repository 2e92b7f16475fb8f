{ inputs, ... }:
{
  perSystem = { pkgs, system, ... }: {
    packages.terraform-config = inputs.terranix.lib.terranixConfiguration {
      inherit system;
      modules = [ ../terranix/hetzner.nix ../terranix/gcp.nix ];
    };
  };
}
