# NixOS module: `services.journal`. One system service per repository running `journal watch`
# as the chosen user, and optionally `journal serve` for one of them.
#
# `defaultPackage` gives the package when `services.journal.package` is not set (the flake
# passes its own build for the host's system).
{ defaultPackage }:
{
  config,
  lib,
  pkgs,
  ...
}:

let
  common = import ./common.nix { inherit lib; };
  cfg = config.services.journal;
  services = common.servicesOf cfg pkgs;
in
{
  options.services.journal =
    lib.recursiveUpdate
      (common.options {
        defaultPackage = defaultPackage pkgs;
        defaultPackageText = "journal's flake package for the host's system";
      })
      {
      user = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        example = "ops";
        description = "The user the services run as: the owner of the repositories (its git identity commits a journal.toml written from `settings`).";
      };
      group = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        description = "The group the services run as; default: the user's primary group.";
      };
      serve.openFirewall = lib.mkOption {
        type = lib.types.bool;
        default = false;
        description = "Open `serve.port` in the firewall (for a `serve.bind` other than loopback).";
      };
    };

  config = lib.mkIf cfg.enable {
    assertions = common.assertions "services.journal" cfg ++ [
      {
        assertion = cfg.user != null;
        message = "services.journal.user must name the user the services run as (the owner of the repositories).";
      }
      {
        assertion = cfg.user != "root";
        message = "services.journal.user = \"root\": run the services as the repositories' owner, not root.";
      }
    ];

    environment.systemPackages = [ cfg.package ];

    networking.firewall.allowedTCPPorts = lib.mkIf (cfg.serve.enable && cfg.serve.openFirewall) [
      cfg.serve.port
    ];

    systemd.services = lib.mapAttrs (name: svc: {
      inherit (svc) description;
      wantedBy = [ "multi-user.target" ];
      after = [ "local-fs.target" ] ++ lib.optional (lib.hasPrefix "journal-serve-" name) "network.target";
      serviceConfig =
        common.serviceConfig svc
        // {
          User = cfg.user;
          ProtectHome = "read-only";
        }
        // lib.optionalAttrs (cfg.group != null) { Group = cfg.group; };
    }) services;
  };
}
