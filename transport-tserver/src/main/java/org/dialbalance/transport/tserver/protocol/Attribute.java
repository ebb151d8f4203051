package org.dialbalance.transport.tserver.protocol;

/**
 * Attribute numbers of the tserver protocol: as in T-Library where T-Library has the attribute; from
 * 1000 up, this protocol's own. See PROTOCOL.md for each attribute's type.
 */
public final class Attribute {

    /** int64: correlates a request with its reply. */
    public static final int REFERENCE_ID = 2;
    /** string: the call's connection id. */
    public static final int CONN_ID = 9;
    /** int64: how a call ended or stands (0 ok, 3 busy, 4 no answer, 7 answering machine, ...). */
    public static final int CALL_STATE = 13;
    /** string: the DN the request or event concerns. */
    public static final int THIS_DN = 20;
    /** string: the other party. */
    public static final int OTHER_DN = 24;
    /** int64: ring timeout, seconds. */
    public static final int TIMEOUT = 42;
    /** int64: error code of EventError. */
    public static final int ERROR_CODE = 46;
    /** string: error message of EventError. */
    public static final int ERROR_MESSAGE = 47;
    /** kv-list: user data. */
    public static final int USER_DATA = 51;
    /** kv-list: extensions. */
    public static final int EXTENSIONS = 53;
    /** string: the sender's application name. */
    public static final int APPLICATION_NAME = 64;
    /** int64: protocol version, in RequestRegisterClient and EventLinkConnected. */
    public static final int PROTOCOL_VERSION = 1000;
    /** int64: the client's keep-alive interval, milliseconds (0 = none). */
    public static final int ADDP_TIMEOUT = 1001;
    /** int64: the keep-alive interval the client asks the server to use, milliseconds (0 = none). */
    public static final int ADDP_REMOTE_TIMEOUT = 1002;

    private Attribute() {
    }
}
