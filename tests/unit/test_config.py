"""The config file: defaults, validation that names the line, the theme write."""

from dockertui.config import Config, load_config, parse_config, remember_theme


def test_missing_file_gives_defaults(tmp_path):
    config, problem = load_config(tmp_path / "none.toml")
    assert config == Config() and problem is None


def test_valid_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'default_pane = "images"\nlog_tail = 200\nlog_max_lines = 5000\nstats_interval = 2\ntheme = "nord"\n'
        '[keymap]\ncontainer-stop = "ctrl+s"\n'
    )
    config, problem = load_config(path)
    assert problem is None
    assert (config.default_pane, config.log_tail, config.log_max_lines, config.stats_interval, config.theme) == (
        "images", 200, 5000, 2, "nord"
    )
    assert config.keymap == {"container-stop": "ctrl+s"}


def test_invalid_values_name_the_line_and_the_file_is_kept(tmp_path):
    path = tmp_path / "config.toml"
    original = 'theme = "nord"\nlog_tail = -3\n'
    path.write_text(original)
    config, problem = load_config(path)
    assert config == Config()
    assert "line 2" in problem and "log_tail" in problem
    assert not remember_theme(path, "dracula")
    assert path.read_text() == original


def test_syntax_errors_and_unknown_keys_name_the_line():
    for text, expected in [("a = = 1\n", "line 1"), ('theme = "x"\ncolour = 3\n', "line 2: unknown setting 'colour'")]:
        try:
            parse_config(text)
        except ValueError as error:
            assert expected in str(error)
        else:
            raise AssertionError("should have failed")


def test_theme_is_remembered_in_place(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    assert remember_theme(path, "nord")
    assert load_config(path)[0].theme == "nord"
    path.write_text('# mine\nlog_tail = 10\ntheme = "nord"\n[keymap]\nquit = "ctrl+q"\n')
    assert remember_theme(path, "dracula")
    text = path.read_text()
    assert text.startswith("# mine\nlog_tail = 10\ntheme = \"dracula\"\n")
    assert load_config(path)[0].keymap == {"quit": "ctrl+q"}
