package org.dialbalance.transport.tserver.protocol;

/** A frame that breaks the protocol: the link that received it is closed with this message as the reason. */
public final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, for the log and the link-down reason */
    public ProtocolException(String message) {
        super(message);
    }
}
