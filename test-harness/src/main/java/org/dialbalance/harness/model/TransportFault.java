package org.dialbalance.harness.model;

/** What the transport does to one request, as the model-checking transport plays it. */
public enum TransportFault {
    /** The chosen link is found gone before the write: its application is unreachable, nothing is written. */
    NOT_WRITTEN("a link gone before the write"),
    /** Both the chosen link and the one of the single re-route are found gone before the write. */
    NOT_WRITTEN_TWICE("a link gone before the write, twice"),
    /** Written, then the link closes (its application unreachable) before the reply. */
    LOST_AFTER_WRITE("a link lost after the write"),
    /** Written; the request-timeout fires first, then the server's EventDialing arrives late. */
    LATE_REPLY("a reply arriving after the request-timeout"),
    /** Written; no reply ever comes. */
    NO_REPLY("no reply"),
    /** A transport that breaks its contract: the request is written, then the stage fails exceptionally. */
    STAGE_FAILS("a transport whose send stage fails after the write");

    private final String description;

    TransportFault(String description) {
        this.description = description;
    }

    /** How reports name it. */
    public String description() {
        return description;
    }
}
