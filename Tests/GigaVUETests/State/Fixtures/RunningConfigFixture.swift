/// A realistic `show running-config`: banners, other maps and GigaStreams (one in sub-mode form with
/// a `port-list` of its own), port settings, our objects in the middle. Embedded here because the
/// test target declares no resources.
enum RunningConfigFixture {
    static let full = """
        ##
        ## Running database "initial"
        ## Generated at 2025/03/04 10:21:07 +0000
        ## Hostname: tap1
        ##

        ##
        ## Network interface configuration
        ##
        interface eth0 comment ""
        interface eth0 ip address 10.0.0.5 /24

        ##
        ## Chassis level configurations
        ##
        chassis box-id 1 serial-num C0A1 type hc2

        ##
        ## Port configurations
        ##
        port 1/1/x1..x4 type tool
        port 1/1/x7 type tool
        port 1/2/x1,1/2/x2 type tool
        port 1/1/x21..x24 type network
        port 1/1/x10 type hybrid
        port 1/1/x1 params admin enable
        port 1/1/x21 alias uplink_a

        ##
        ## Port-group configurations
        ##
        port-group alias net_group
          port-list 1/1/x21..x22
          exit
        port-group alias net_group port-list 1/1/x23..x24
        port-group alias other_group port-list 1/1/x30

        ##
        ## Gigastream configurations
        ##
        gigastream alias backup_stream
          port-list 1/1/x11,1/1/x12
          exit
        gigastream alias sensor_stream port-list 1/1/x1..x4,1/1/x7,1/2/x1..x2
        gigastream alias web_stream port-list 1/1/x15..x16

        ##
        ## Map configurations
        ##
        map alias web_map
          type regular byRule
          roles replace admin to owner_roles
          rule add pass portdst 443 bidir
          to web_stream
          from 1/1/x21
          exit
        map-passall alias backup_map
          to backup_stream
          from net_group
          exit
        map-passall alias sensor_map
          to sensor_stream
          from net_group
          exit

        ##
        ## SNMP configuration
        ##
        snmp-server community public ro
        no cli default prefix-modes enable
        """
}
