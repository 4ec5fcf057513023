def add_arguments(parser):
    pass


def run(command, **options):
    command.stderr.write("尚未实现")
