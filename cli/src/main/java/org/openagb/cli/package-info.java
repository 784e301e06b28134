package org.openagb.cli;
