// Unit test of snn_mux_tree: every select of a one-level (10 words) and a two-level (37
// words) tree, y checked at the LEVELS-th clock edge after x and sel, with x and sel changing every clock.
`timescale 1ns / 1ps
module tb_snn_mux_tree;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg [5:0] sel = 6'd0;
    reg [37*8-1:0] x;
    wire [7:0] one, two;
    snn_mux_tree #(.N(10), .WIDTH(8), .SEL_W(4), .LEVELS(1)) dut_one (.clk(clk), .sel(sel[3:0]), .x(x[10*8-1:0]), .y(one));
    snn_mux_tree #(.N(37), .WIDTH(8), .SEL_W(6), .LEVELS(2)) dut_two (.clk(clk), .sel(sel), .x(x), .y(two));
    integer t, i, errors;
    reg [7:0] want_one [0:200];
    reg [7:0] want_two [0:200];
    initial begin
        errors = 0;
        for (t = 0; t < 160; t = t + 1) begin
            // Word i of input t is t·7 + i·13 (mod 256): a word differs from its neighbours
            // and from the same word one clock apart.
            for (i = 0; i < 37; i = i + 1) x[8*i +: 8] = t * 7 + i * 13;
            sel = t % 37;
            want_one[t] = sel[3:0] < 10 ? x[8*sel[3:0] +: 8] : 8'd0;
            want_two[t] = x[8*sel +: 8];
            // Set before edge t: a level's register holds input t after it.
            @(posedge clk);
            #1;
            if (one !== want_one[t]) begin
                errors = errors + 1;
                $display("FAIL one-level at %0d: got %0d, want %0d", t, one, want_one[t]);
            end
            if (t >= 1 && two !== want_two[t - 1]) begin
                errors = errors + 1;
                $display("FAIL two-level at %0d: got %0d, want %0d", t, two, want_two[t - 1]);
            end
        end
        if (errors == 0) $display("PASS snn_mux_tree");
        $finish;
    end
endmodule
