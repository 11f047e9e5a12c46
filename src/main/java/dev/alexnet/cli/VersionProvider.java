package dev.alexnet.cli;

import picocli.CommandLine;

/** Reads the project version from the jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = AlexNetCommand.class.getPackage().getImplementationVersion();
        return new String[] {"alexnet " + (version == null ? "(development build)" : version)
                + ", DJL " + ai.djl.engine.Engine.getDjlVersion()};
    }
}
