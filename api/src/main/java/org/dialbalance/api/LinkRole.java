package org.dialbalance.api;

/**
 * Which of a node's two server applications a link connects to. The node is identified by its
 * primary; the backup is the optional standby of the same node.
 */
@Stable(since = "0.1")
public enum LinkRole {
    /** The primary SIP Server application, whose DBID identifies the node. */
    PRIMARY,
    /** The backup SIP Server application of the same node. */
    BACKUP;

    /** The other role: BACKUP for PRIMARY and the reverse. */
    public LinkRole other() {
        return this == PRIMARY ? BACKUP : PRIMARY;
    }
}
