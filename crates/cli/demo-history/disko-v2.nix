{
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
