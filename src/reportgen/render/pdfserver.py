"""What the PDF workers' fork server imports as it starts (``render.pdf._pool_context``): it is killed with the build.

The server is the build's child, and each worker it forks is killed with the server
(``render.pdf``).  The workers hold the pipe whose closing tells the server that the build has
ended, so after a build killed outright the server would wait for its workers and they for work
from the build; killed with the build, the server takes them with it.
"""

from reportgen.render.pdf import die_with_parent

die_with_parent()
