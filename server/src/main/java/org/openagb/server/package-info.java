package org.openagb.server;
