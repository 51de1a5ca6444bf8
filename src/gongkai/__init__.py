"""gongkai (公开): a platform for open government information work under 《政府信息公开条例》."""

__version__ = "0.1.0"
