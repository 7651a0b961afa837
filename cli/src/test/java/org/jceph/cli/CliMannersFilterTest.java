package org.jceph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The stderr comparison of {@link CliMannersIT} drops Ceph's debug-log lines and nothing else. */
class CliMannersFilterTest {
    @Test
    void dropsOnlyCephLogLines() {
        String stock = "unrecognized command --bogus; -h or --help for usage\n"
                + "error 22: (22) Invalid argument\n"
                + "2026-12-06T09:50:34.487+0000 7f82356f76c0 -1 monclient: get_auth_request but no auth handler is set up\n";
        assertEquals("unrecognized command --bogus; -h or --help for usage\nerror 22: (22) Invalid argument\n",
                CliMannersIT.errLines(stock));
        // a tool message that merely contains a date stays
        String msg = "error: snapshot 2026-12-06T09:50 not found\n";
        assertEquals(msg, CliMannersIT.errLines(msg));
        assertEquals("a\nb", org.jceph.fixtures.cluster.CommandResult.withoutCephLogLines(
                "a\n2026-12-06T09:50:34.487+0000 7f82356f76c0  0 x\nb"));
        // an entry the log thread wrote in the middle of the tool's line (seen with rbd group rename)
        assertEquals("rbd: failed to rename group: (17) File exists\n",
                org.jceph.fixtures.cluster.CommandResult.withoutCephLogLines("rbd: failed to rename group: "
                        + "2026-12-06T15:30:26.672+0000 7fce27eb8380 -1 librbd::api::Group: rename: error renaming group"
                        + " from directory\n(17) File exists\n"));
        // two entries in a row in the middle of the tool's line (seen in CI with rbd encryption format)
        assertEquals("rbd: encryption format error: (95) Operation not supported\n",
                org.jceph.fixtures.cluster.CommandResult.withoutCephLogLines("rbd: encryption format error: "
                        + "2026-12-07T20:55:01.100+0000 7f0000000001 -1 librbd::crypto::luks::FormatRequest: one\n"
                        + "2026-12-07T20:55:01.101+0000 7f0000000001 -1 librbd::crypto::FormatRequest: two\n"
                        + "(95) Operation not supported\n"));
        // entries that split the tool's line and leave blank lines behind (seen in CI with rbd cp)
        var cp = new org.jceph.fixtures.cluster.CommandResult(java.util.List.of("rbd", "cp"), 17, "",
                "rbd: copy failed: 2026-12-08T01:02:15.642+0000 7f93e6c8f380 -1 librbd: rbd image x already exists\n"
                        + "\n2026-12-08T01:02:15.642+0000 7f93e6c8f380 -1 librbd: header creation failed\n"
                        + "\n(17) File exists\n");
        assertEquals("rbd: copy failed: (17) File exists", cp.toolWords());
        assertEquals("rbd: copy failed: (17) File exists\n", cp.toolStderr());
    }
}
