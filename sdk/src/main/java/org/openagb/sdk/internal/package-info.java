/**
 * Implementation of the SDK: HTTP transport, JSON and tool-text parsing. Not API: anything here may change without
 * notice.
 */
package org.openagb.sdk.internal;
