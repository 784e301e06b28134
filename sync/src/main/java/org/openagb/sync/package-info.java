package org.openagb.sync;
