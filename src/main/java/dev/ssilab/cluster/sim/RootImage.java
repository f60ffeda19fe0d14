package dev.ssilab.cluster.sim;

import java.util.List;

/**
 * The contents of a new cluster's shared root: the usual folders, the dbdemo database, the load-leveling
 * list, the keepalive log, an fstab naming the root's failover nodes, and a file per modelled program
 * in /bin and /usr/bin (so spawndaemon -d and ls see them; their behaviour is the simulator's).
 */
final class RootImage {
    private RootImage() {}

    static final String ALPHABET = String.join("\n", "A Alpha", "B Bravo", "C Charlie", "D Delta", "E Echo",
            "F Foxtrot", "G Golf", "H Hotel", "I India", "J Juliett", "K Kilo", "L Lima", "M Mike", "N November",
            "O Oscar", "P Papa", "Q Quebec", "R Romeo", "S Sierra", "T Tango", "U Uniform", "V Victor", "W Whiskey",
            "X X-ray", "Y Yankee", "Z Zulu") + "\n";

    static void populate(SharedFs fs) {
        try {
            for (String d : new String[] {"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/share/dbdemo", "/etc", "/root",
                    "/tmp", "/var/log", "/cluster/etc", "/proc", "/dev", "/devfs", "/home", "/root/dbdemo"}) {
                fs.mkdir(d, true);
            }
            fs.write("/usr/share/dbdemo/alphabet", ALPHABET, false);
            // The HOWTO types `cd ~/dbdemo; ./dbdemo alphabet`: the demo and its database are in root's home too.
            fs.write("/root/dbdemo/alphabet", ALPHABET, false);
            fs.write(LoadLeveler.LIST, "# programs the load leveler may move, one name a line\n", false);
            fs.write(Keepalive.LOG, "", false);
            fs.write("/etc/fstab", "/dev/ubd/0  /  ext3  chard,node=1:2  0 0\n", false);
            String note = "ssilab sim: this program is modelled by the simulator\n";
            for (String name : NodeShell.COMMANDS.keySet()) {
                String dir = switch (name) {
                    case "cluster", "clusternode_num", "clusternode_getstate", "where_pid", "onnode", "onall", "migrate",
                            "loadlevel", "loads", "bash-ll", "dbdemo", "spawndaemon" -> "/usr/bin/";
                    case "keepalive" -> "/usr/sbin/";
                    default -> "/bin/";
                };
                if (!List.of(":", "cd", "exit", "logout", "export", "wait", "jobs", "help").contains(name)) { // shell-only builtins
                    fs.write(dir + name, note, false);
                }
                if (name.equals("dbdemo")) {
                    fs.write("/root/dbdemo/dbdemo", note, false);
                }
            }
        } catch (SharedFs.FsError e) {
            throw new IllegalStateException("the simulator's root image is inconsistent: " + e.getMessage(), e);
        }
    }
}
