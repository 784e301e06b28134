package org.openagb.model;
