//! The infrastructure history of the demo repository: Phase 0 of the story, three weeks of
//! terranix, clan, disko, zerotier and vars commits. Identity, dates and contents are pinned, so
//! every commit id is the same on every machine, and the sample journal cites them.

/// One commit: its date (RFC 3339, local offset of the operator), message, and the whole new
/// content of each file it touches.
pub struct InfraCommit {
    pub date: &'static str,
    pub message: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

const FLAKE_V1: &str = r#"{
  description = "Phase 0 infrastructure: Hetzner and GCP test machines managed by clan";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-parts.url = "github:hercules-ci/flake-parts";
    clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz";
    clan-core.inputs.nixpkgs.follows = "nixpkgs";
    terranix.url = "github:terranix/terranix";
  };

  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-darwin" ];
      imports = [
        inputs.clan-core.flakeModules.default
        ./modules/flake-parts/clan.nix
        ./modules/flake-parts/terranix.nix
      ];
    };
}
"#;

const FLAKE_DENDRITIC: &str = r#"{
  description = "Phase 0 infrastructure: Hetzner and GCP test machines managed by clan";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-parts.url = "github:hercules-ci/flake-parts";
    import-tree.url = "github:vic/import-tree";
    clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz";
    clan-core.inputs.nixpkgs.follows = "nixpkgs";
    terranix.url = "github:terranix/terranix";
  };

  # Dendritic: every file under modules/ is a flake-parts module, imported by import-tree.
  outputs = inputs@{ flake-parts, import-tree, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-darwin" ];
      imports = [ inputs.clan-core.flakeModules.default (import-tree ./modules) ];
    };
}
"#;

const FLAKE_V2: &str = r#"{
  description = "Phase 0 infrastructure: Hetzner and GCP test machines managed by clan";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-parts.url = "github:hercules-ci/flake-parts";
    clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz";
    clan-core.inputs.nixpkgs.follows = "nixpkgs";
    terranix.url = "github:terranix/terranix";
  };

  # Vanilla flake-parts: explicit imports. import-tree was tried and reverted (see journal).
  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-darwin" ];
      imports = [
        inputs.clan-core.flakeModules.default
        ./modules/flake-parts/clan.nix
        ./modules/flake-parts/terranix.nix
      ];
    };
}
"#;

const TERRANIX_PARTS: &str = r#"{ inputs, ... }:
{
  perSystem = { pkgs, system, ... }: {
    packages.terraform-config = inputs.terranix.lib.terranixConfiguration {
      inherit system;
      modules = [ ../terranix/hetzner.nix ../terranix/gcp.nix ];
    };
  };
}
"#;

const HETZNER_V1: &str = r#"{ config, ... }:
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
"#;

const HETZNER_V2: &str = r#"{ config, ... }:
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
  resource.null_resource.install-hetzner-test = {
    triggers.instance_id = "\${hcloud_server.hetzner-test.id}";
    provisioner.local-exec.command =
      "clan machines install hetzner-test --update-hardware-config nixos-facter "
      + "--target-host root@\${hcloud_server.hetzner-test.ipv4_address} -i ~/.ssh/deploy --yes";
  };

  output.hetzner_test_ipv4.value = "\${hcloud_server.hetzner-test.ipv4_address}";
}
"#;

const HETZNER_V3: &str = r#"{ config, ... }:
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
"#;

const HETZNER_CX32: &str = r#"{ config, ... }:
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

  # Phase 1 sizing: cinnabar runs the zerotier controller and production services.
  resource.hcloud_server.cinnabar = {
    name = "cinnabar";
    server_type = "cx32";
    image = "debian-12";
    location = "fsn1";
    ssh_keys = [ "\${hcloud_ssh_key.deploy.id}" ];
    count = 0; # enabled in Phase 1
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
"#;

const GCP_V1: &str = r#"{ config, ... }:
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
"#;

const GCP_V2: &str = r#"{ config, ... }:
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

  resource.google_compute_instance.gcp-test = {
    name = "gcp-test";
    machine_type = "e2-small";
    zone = "europe-west3-a";
    boot_disk.initialize_params = { image = "debian-cloud/debian-12"; size = 20; };
    network_interface = [ { subnetwork = "\${google_compute_subnetwork.phase0.id}"; access_config = [ { } ]; } ];
    metadata.ssh-keys = "root:\${file(\"~/.ssh/deploy.pub\")}";
  };
}
"#;

const GCP_V3: &str = r#"{ config, ... }:
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
"#;

const GCP_INSTALL: &str = r#"{ config, ... }:
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
"#;

const DISKO_V1: &str = r#"{
  disko.devices.disk.main = {
    device = "/dev/sda";
    type = "disk";
    content = {
      type = "gpt";
      partitions = {
        boot = { size = "1M"; type = "EF02"; };
        ESP = { size = "512M"; type = "EF00"; content = { type = "filesystem"; format = "vfat"; mountpoint = "/boot"; }; };
        luks = {
          size = "100%";
          content = {
            type = "luks";
            name = "crypted";
            passwordFile = "/tmp/secret.key"; # provided by clan vars during install
            settings.allowDiscards = true;
            content = { type = "filesystem"; format = "ext4"; mountpoint = "/"; };
          };
        };
      };
    };
  };
}
"#;

const DISKO_V2: &str = r#"{
  disko.devices.disk.main = {
    device = "/dev/sda";
    type = "disk";
    content = {
      type = "gpt";
      partitions = {
        boot = { size = "1M"; type = "EF02"; };
        ESP = { size = "512M"; type = "EF00"; content = { type = "filesystem"; format = "vfat"; mountpoint = "/boot"; }; };
        luks = {
          size = "100%";
          content = {
            type = "luks";
            name = "crypted";
            passwordFile = "/tmp/secret.key"; # provided by clan vars during install
            settings.allowDiscards = true;
            # LVM inside LUKS: swap is encrypted with the same key, one unlock at boot.
            content = { type = "lvm_pv"; vg = "pool"; };
          };
        };
      };
    };
  };
  disko.devices.lvm_vg.pool = {
    type = "lvm_vg";
    lvs = {
      swap = { size = "2G"; content = { type = "swap"; }; };
      root = { size = "100%FREE"; content = { type = "filesystem"; format = "ext4"; mountpoint = "/"; }; };
    };
  };
}
"#;

const GCP_DISKO: &str = r#"{
  # GCP disks appear as /dev/sda too, but the instance boots with UEFI only when the image
  # says so: keep the BIOS boot partition, as on Hetzner.
  disko.devices.disk.main = {
    device = "/dev/sda";
    type = "disk";
    content = {
      type = "gpt";
      partitions = {
        boot = { size = "1M"; type = "EF02"; };
        ESP = { size = "512M"; type = "EF00"; content = { type = "filesystem"; format = "vfat"; mountpoint = "/boot"; }; };
        luks = {
          size = "100%";
          content = {
            type = "luks";
            name = "crypted";
            passwordFile = "/tmp/secret.key";
            content = { type = "filesystem"; format = "ext4"; mountpoint = "/"; };
          };
        };
      };
    };
  };
}
"#;

const INITRD_SSH: &str = r#"{ config, ... }:
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
"#;

const CLAN_V1: &str = r#"{ inputs, ... }:
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
"#;

const CLAN_V2: &str = r#"{ inputs, ... }:
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
      sshd-clan = {
        module = { name = "sshd"; input = "clan-core"; };
        roles.server.tags.all = { };
        roles.client.tags.all = { };
      };
    };
  };
}
"#;

const CLAN_V3: &str = r#"{ inputs, ... }:
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
"#;

const CLAN_V4: &str = r#"{ inputs, self, ... }:
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
"#;

const CLAN_V5: &str = r#"{ inputs, self, ... }:
{
  clan = {
    meta.name = "phase0";
    # Only `self` crosses into NixOS modules, as in clan-infra.
    specialArgs = { inherit self; };
    inventory.machines = {
      hetzner-test = { tags = [ "cloud" ]; };
      gcp-test = { tags = [ "cloud" ]; };
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
"#;

const VARS_V1: &str = r#"{ config, pkgs, ... }:
{
  # Machine secrets are generated by clan vars and encrypted with age (sops) per machine.
  clan.core.vars.generators.luks-passphrase = {
    files.key.neededFor = "partitioning";
    runtimeInputs = [ pkgs.xkcdpass ];
    script = "xkcdpass --numwords 6 --delimiter - > $out/key";
  };
  clan.core.vars.generators.initrd-ssh = {
    files.host_key.neededFor = "activation";
    files."host_key.pub".secret = false;
    runtimeInputs = [ pkgs.openssh ];
    script = "ssh-keygen -t ed25519 -N '' -f $out/host_key";
  };
}
"#;

const VARS_V2: &str = r#"{ config, pkgs, ... }:
{
  # Machine secrets are generated by clan vars and encrypted with age (sops) per machine.
  clan.core.vars.generators.luks-passphrase = {
    files.key.neededFor = "partitioning";
    runtimeInputs = [ pkgs.xkcdpass ];
    script = "xkcdpass --numwords 6 --delimiter - > $out/key";
  };
  clan.core.vars.generators.initrd-ssh = {
    files.host_key.neededFor = "activation";
    files."host_key.pub".secret = false;
    runtimeInputs = [ pkgs.openssh ];
    script = "ssh-keygen -t ed25519 -N '' -f $out/host_key";
  };
  # Cloud API tokens: prompted once, shared by every machine, read by terraform through
  # `clan vars get` in the wrapper script (never in terraform state as plain variables files).
  clan.core.vars.generators.cloud-tokens = {
    share = true;
    prompts.hcloud.persist = true;
    prompts.gcp-credentials.persist = true;
  };
}
"#;

const TF_WRAPPER: &str = r#"#!/usr/bin/env bash
# terraform with the API tokens from clan vars: nothing secret on disk outside sops.
set -euo pipefail
export TF_VAR_hcloud_token="$(clan vars get hetzner-test cloud-tokens/hcloud)"
export TF_VAR_gcp_credentials="$(clan vars get hetzner-test cloud-tokens/gcp-credentials)"
nix run .#terraform -- "$@"
"#;

const PING_MONITOR: &str = r#"#!/usr/bin/env bash
# Ping every zerotier peer for 10 minutes and print p50/p99/loss; run hourly from a timer.
set -euo pipefail
target=${1:?usage: zt-ping PEER-ZT-IP}
ping -q -c 600 -i 1 "$target" | tail -n 2
"#;

const NOTES: &str = r#"# Phase 0 notes

Observations live in `journal/` (one Markdown file each, written with `journal add`).
`journal compile` turns them into INTEGRATION-FINDINGS.md and ARCHITECTURAL-DECISIONS.md
under `docs/`.
"#;

/// Phase 0, oldest first.
pub const HISTORY: &[InfraCommit] = &[
    InfraCommit {
        date: "2026-10-05T09:12:00+02:00",
        message: "flake: flake-parts skeleton with clan-core and terranix",
        files: &[
            ("flake.nix", FLAKE_V1),
            ("modules/flake-parts/terranix.nix", TERRANIX_PARTS),
            ("README.md", NOTES),
        ],
    },
    InfraCommit {
        date: "2026-10-05T11:40:00+02:00",
        message: "terranix: hetzner cx22 server for hetzner-test",
        files: &[("modules/terranix/hetzner.nix", HETZNER_V1)],
    },
    InfraCommit {
        date: "2026-10-05T15:05:00+02:00",
        message: "terranix: null_resource runs clan machines install",
        files: &[("modules/terranix/hetzner.nix", HETZNER_V2)],
    },
    InfraCommit {
        date: "2026-10-06T10:20:00+02:00",
        message: "hosts: disko layout with LUKS for hetzner-test",
        files: &[("modules/hosts/hetzner-test/disko.nix", DISKO_V1)],
    },
    InfraCommit {
        date: "2026-10-06T16:45:00+02:00",
        message: "hosts: unlock LUKS over ssh in the initrd (port 2222)",
        files: &[
            ("modules/hosts/hetzner-test/default.nix", INITRD_SSH),
            ("modules/base/vars.nix", VARS_V1),
        ],
    },
    InfraCommit {
        date: "2026-10-07T09:30:00+02:00",
        message: "inventory: emergency-access and users-root on tags.all",
        files: &[("modules/flake-parts/clan.nix", CLAN_V1)],
    },
    InfraCommit {
        date: "2026-10-07T14:10:00+02:00",
        message: "inventory: sshd-clan with server and client roles",
        files: &[("modules/flake-parts/clan.nix", CLAN_V2)],
    },
    InfraCommit {
        date: "2026-10-07T17:25:00+02:00",
        message: "terranix: wait for sshd before clan install",
        files: &[("modules/terranix/hetzner.nix", HETZNER_V3)],
    },
    InfraCommit {
        date: "2026-10-08T10:00:00+02:00",
        message: "inventory: zerotier controller on hetzner-test, peers on tags.all",
        files: &[("modules/flake-parts/clan.nix", CLAN_V3)],
    },
    InfraCommit {
        date: "2026-10-09T11:00:00+02:00",
        message: "dendritic: import every module with import-tree",
        files: &[("flake.nix", FLAKE_DENDRITIC)],
    },
    InfraCommit {
        date: "2026-10-10T16:20:00+02:00",
        message: "dendritic: revert import-tree, keep explicit flake-parts imports",
        files: &[("flake.nix", FLAKE_V2)],
    },
    InfraCommit {
        date: "2026-10-11T10:05:00+02:00",
        message: "clan: pass only self through specialArgs",
        files: &[("modules/flake-parts/clan.nix", CLAN_V4)],
    },
    InfraCommit {
        date: "2026-10-12T09:00:00+02:00",
        message: "terranix: gcp provider, service account and compute role",
        files: &[("modules/terranix/gcp.nix", GCP_V1)],
    },
    InfraCommit {
        date: "2026-10-12T15:30:00+02:00",
        message: "terranix: gcp vpc, subnet, ssh firewall and e2-small instance",
        files: &[("modules/terranix/gcp.nix", GCP_V2)],
    },
    InfraCommit {
        date: "2026-10-13T11:30:00+02:00",
        message: "hosts: gcp-test disko layout and clan install",
        files: &[
            ("modules/hosts/gcp-test/disko.nix", GCP_DISKO),
            ("modules/terranix/gcp-install.nix", GCP_INSTALL),
            ("modules/flake-parts/clan.nix", CLAN_V5),
        ],
    },
    InfraCommit {
        date: "2026-10-14T10:10:00+02:00",
        message: "terranix: gcp firewall allows udp 9993 for zerotier",
        files: &[("modules/terranix/gcp.nix", GCP_V3)],
    },
    InfraCommit {
        date: "2026-10-16T09:40:00+02:00",
        message: "scripts: zerotier ping monitor",
        files: &[("scripts/zt-ping", PING_MONITOR)],
    },
    InfraCommit {
        date: "2026-10-19T09:15:00+02:00",
        message: "hosts: disko v2, swap on LVM inside LUKS",
        files: &[("modules/hosts/hetzner-test/disko.nix", DISKO_V2)],
    },
    InfraCommit {
        date: "2026-10-20T14:00:00+02:00",
        message: "vars: cloud API tokens in clan vars, read by a terraform wrapper",
        files: &[
            ("modules/base/vars.nix", VARS_V2),
            ("scripts/tf", TF_WRAPPER),
        ],
    },
    InfraCommit {
        date: "2026-10-23T10:30:00+02:00",
        message: "terranix: cinnabar cx32 sized for phase 1 (disabled)",
        files: &[("modules/terranix/hetzner.nix", HETZNER_CX32)],
    },
];
