package org.openagb.sandbox;
