"""The plugin's entry point (PulumiPlugin.yaml: main): serve the ask-components package."""

from ask_components.package.host import main

if __name__ == "__main__":
    main()
