package org.openagb.sdk;
