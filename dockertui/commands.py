"""Every action the palette offers from any screen, named as the app does and as the docker CLI does.

People who use this app think in the docker CLI, so each command is found by
its own title and by the CLI's words for it (``rm``, ``system prune``,
``ps -a``), and its palette row shows the CLI form. Object commands act on
the selection in the list on screen, as the key does; palette.py runs them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a command runs (PaletteCommand.where):
APP = "app"  # an action of the app: app.run_action(action)
DASHBOARD = "dashboard"  # an action of the dashboard, which is brought to the front first
OVER_ANY = "over-any"  # a dashboard action that opens its screen over whatever is shown
IMAGES_GLOBAL = "images-global"  # an image action that needs no image (pull, build…)
CONTAINERS_GLOBAL = "containers-global"  # a container action that needs no container (run…)
# Object commands: run by the list of that kind shown on the dashboard, on its cursor row or marks.
CONTAINERS, IMAGES, VOLUMES, NETWORKS = "containers", "images", "volumes", "networks"
COMPOSE = "compose"  # the Compose project screen's own actions; elsewhere, the selected container's project
SERVICES, NODES = "services", "nodes"  # the Swarm screen's lists

# What an object command needs, in words, and where to find one.
NEEDS = {
    CONTAINERS: "a container: select one in the Containers list (1)",
    IMAGES: "an image: select one in the Images list (2)",
    VOLUMES: "a volume: select one in the Volumes list (3)",
    NETWORKS: "a network: select one in the Networks list (4)",
    SERVICES: "a service: open Swarm (W), then its Services list",
    NODES: "a node: open Swarm (W), then its Nodes list",
}


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry: ``title`` — ``cli``; ``words`` are more CLI forms it answers to."""

    title: str
    cli: str
    where: str
    action: str
    words: tuple[str, ...] = ()
    key_id: str = ""  # the binding whose key does the same, shown where that key works

    @property
    def search_words(self) -> tuple[str, ...]:
        """The CLI words typed to find it: ``rm`` for ``docker rm …``, and ``words``."""
        return (self.cli.removeprefix("docker ").split(" $(")[0], *self.words)


def _c(title: str, cli: str, where: str, action: str, *words: str, key: str = "") -> PaletteCommand:
    return PaletteCommand(title, cli, where, action, words, key)


COMMANDS: tuple[PaletteCommand, ...] = (
    # Lists and tabs
    _c("Running containers", "docker ps", DASHBOARD, "list_containers(False)", "container ls"),
    _c("All containers", "docker ps -a", DASHBOARD, "list_containers(True)", "container ls -a", key="toggle-all"),
    _c("Images", "docker images", DASHBOARD, "show_pane('images')", "image ls", key="pane-images"),
    _c("Volumes", "docker volume ls", DASHBOARD, "show_pane('volumes')", "volume", key="pane-volumes"),
    _c("Networks", "docker network ls", DASHBOARD, "show_pane('networks')", "network", key="pane-networks"),
    _c("Ports", "docker port", DASHBOARD, "show_pane('ports')", key="pane-ports"),
    _c("Events", "docker events", DASHBOARD, "show_pane('events')", "system events", key="pane-events"),
    _c("Logs of the selected container", "docker logs -f", DASHBOARD, "show_tab('logs')", "logs", key="tab-logs"),
    _c("Stats of the selected container", "docker stats", DASHBOARD, "show_tab('stats')", "stats"),
    _c("Processes of the selected container", "docker top", DASHBOARD, "show_tab('top')", "top"),
    _c("Files of the selected container", "docker cp", DASHBOARD, "show_tab('files')", "container cp", key="tab-files"),
    _c("Changes in the selected container since its image", "docker diff", DASHBOARD, "show_changes", "container diff"),
    _c("CPU and memory columns", "docker stats --no-stream", DASHBOARD, "toggle_stats", key="toggle-stats"),
    # The engine
    _c("Cleanup: prune with a preview", "docker system prune", OVER_ANY, "cleanup", "prune", "volume prune",
       "network prune", "builder prune", key="cleanup"),
    _c("Disk usage", "docker system df", OVER_ANY, "disk_usage", "df", key="disk-usage"),
    _c("Engine info", "docker info", APP, "engine_info", "version", "system info", key="engine-info"),
    _c("Contexts: switch engine", "docker context use", APP, "contexts", "context", "context ls", key="contexts"),
    _c("Swarm: services, tasks and nodes", "docker service ls", APP, "swarm", "node ls", "swarm", key="swarm"),
    _c("Keys and their ids", "docker --help", APP, "help", "help", key="help"),
    # Containers
    _c("Run a container…", "docker run", CONTAINERS_GLOBAL, "request('run')", "create", "container run",
       key="container-run"),
    _c("Start container", "docker start", CONTAINERS, "request('start')", key="container-start"),
    _c("Stop container", "docker stop", CONTAINERS, "request('stop')", key="container-stop"),
    _c("Restart container", "docker restart", CONTAINERS, "request('restart')", key="container-restart"),
    _c("Pause or resume container", "docker pause", CONTAINERS, "request('pause')", "unpause",
       key="container-pause"),
    _c("Kill container", "docker kill", CONTAINERS, "request('kill')", key="container-kill"),
    _c("Remove container", "docker rm", CONTAINERS, "request('remove')", "container rm", key="container-remove"),
    _c("Remove exited containers (shown or marked)", "docker rm $(docker ps -aq -f status=exited)",
       CONTAINERS_GLOBAL, "request('remove_exited')", key="container-remove-exited"),
    _c("Remove exited containers (engine-wide)", "docker container prune", CONTAINERS_GLOBAL,
       "request('remove_exited_everywhere')", key="container-remove-exited-all"),
    _c("Rename container…", "docker rename", CONTAINERS, "request('rename')", key="container-rename"),
    _c("Inspect container", "docker inspect", CONTAINERS, "request('inspect')", "container inspect",
       key="container-inspect"),
    _c("Exec in container…", "docker exec", CONTAINERS, "request('exec')", key="container-exec"),
    _c("Shell in container", "docker exec -it … sh", CONTAINERS, "request('shell')", "sh", key="container-shell"),
    _c("Attach to container", "docker attach", CONTAINERS, "request('attach')", key="container-attach"),
    _c("Run again, edited…", "docker run (as before)", CONTAINERS, "request('run_again')", key="container-run-again"),
    _c("Copy the docker run line", "docker run … (runlike)", CONTAINERS, "request('copy_run_line')", "runlike",
       key="container-copy-run-line"),
    _c("Commit container to an image…", "docker commit", CONTAINERS, "request('commit')", "container commit",
       key="container-commit"),
    _c("Export container's filesystem…", "docker export", CONTAINERS, "request('export')", "container export",
       key="container-export"),
    _c("Compose project of the container", "docker compose ps", CONTAINERS, "request_project", "compose",
       key="container-project"),
    _c("Compose up", "docker compose up -d", COMPOSE, "request('up')", key="compose-up"),
    _c("Compose down", "docker compose down", COMPOSE, "request('down')", key="compose-down"),
    # Images and registries
    _c("Pull an image…", "docker pull", IMAGES_GLOBAL, "pull", "image pull", key="image-pull"),
    _c("Build an image…", "docker build", IMAGES_GLOBAL, "build", "image build", "buildx build", key="image-build"),
    _c("Search Docker Hub…", "docker search", IMAGES_GLOBAL, "search", key="image-search"),
    _c("Browse a registry…", "docker manifest (registry)", IMAGES_GLOBAL, "browse", "registry", key="image-browse"),
    _c("Log in or out of a registry…", "docker login", IMAGES_GLOBAL, "login", "logout", key="image-login"),
    _c("Prune dangling images", "docker image prune", IMAGES_GLOBAL, "prune", "dangling", key="image-prune"),
    _c("Image tree", "docker image ls --tree", IMAGES_GLOBAL, "tree", "history", key="image-tree"),
    _c("Remove image", "docker rmi", IMAGES, "request('remove')", "image rm", key="image-remove"),
    _c("Tag image…", "docker tag", IMAGES, "request('tag')", "image tag", key="image-tag"),
    _c("Push image", "docker push", IMAGES, "request('push')", "image push", key="image-push"),
    _c("Save images to a tar file…", "docker save", IMAGES, "request('save')", "image save", key="image-save"),
    _c("Load images from a tar file…", "docker load", IMAGES_GLOBAL, "load", "image load", key="image-load"),
    _c("Inspect image", "docker image inspect", IMAGES, "request('inspect')", key="image-inspect"),
    _c("Run this image…", "docker run IMAGE", IMAGES, "request('run')", key="image-run"),
    # Volumes and networks
    _c("Create volume…", "docker volume create", VOLUMES, "request('create')", key="volume-create"),
    _c("Remove volume", "docker volume rm", VOLUMES, "request('remove')", key="volume-remove"),
    _c("Create network…", "docker network create", NETWORKS, "request('create')", key="network-create"),
    _c("Remove network", "docker network rm", NETWORKS, "request('remove')", key="network-remove"),
    _c("Connect a container to the network…", "docker network connect", NETWORKS, "request('connect')",
       key="network-connect"),
    _c("Disconnect a container from the network…", "docker network disconnect", NETWORKS,
       "request('disconnect')", key="network-disconnect"),
    # Swarm
    _c("Scale service…", "docker service scale", SERVICES, "request('scale')", key="service-scale"),
    _c("Update service image…", "docker service update --image", SERVICES, "request('update_image')",
       key="service-update-image"),
    _c("Remove service", "docker service rm", SERVICES, "request('remove')", key="service-remove"),
    _c("Drain node", "docker node update --availability drain", NODES, "request('drain')", "node update",
       key="node-drain"),
    _c("Activate node", "docker node update --availability active", NODES, "request('activate')",
       key="node-activate"),
)
